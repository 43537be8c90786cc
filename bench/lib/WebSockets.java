package lib;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A minimal RFC 6455 client on NIO for the benchmarks: thousands of sockets on a few selector threads in
 * one JVM. The JDK's {@code java.net.http.WebSocket} took 1.1 of this machine's 2 cores to take 40,000
 * messages a second (bench/content's first notification runs), CPU the measured service then lacked;
 * this needs a small fraction of that.
 *
 * <p>What it does: a blocking handshake (HTTP/1.1 upgrade, extra headers such as {@code Authorization},
 * the {@code Sec-WebSocket-Accept} checked), then non-blocking reads on a {@link Loop}; text messages
 * (fragmented ones assembled) go to the socket's {@link Handler} with the {@link System#nanoTime()} of
 * the read that completed them; pings are answered; a close frame records its code. Client frames are
 * masked; no extensions are offered. Not a general client: no TLS, no binary messages to the handler.
 *
 * <p>Used from single-file programs through Java 22+'s multi-file source launcher: a program in package
 * {@code workspace} at {@code bench/workspace/X.java} has {@code bench/} as its source root and finds
 * this class there ({@code import lib.WebSockets;}).
 */
public final class WebSockets {

    static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    static final int INITIAL_BUFFER = 8192;

    private WebSockets() {
    }

    /** What a socket's owner hears; called on the socket's selector thread. */
    public interface Handler {
        /** One whole text message: bytes {@code a[from, from + length)}, read at {@code nanos}. */
        void text(Socket socket, byte[] a, int from, int length, long nanos);

        /** The socket closed: the close frame's code, 1005 without one in it, -1 without a close frame, -2 on an error. */
        default void closed(Socket socket, int code) {
        }
    }

    /** One selector thread reading its share of the sockets. */
    public static final class Loop {
        final Selector selector;
        final Thread thread;
        final ConcurrentLinkedQueue<Socket> pending = new ConcurrentLinkedQueue<>();

        public Loop(String name) throws IOException {
            selector = Selector.open();
            thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
            thread.start();
        }

        /** Hands a socket whose handshake is done to this loop. */
        public void register(Socket socket) {
            pending.add(socket);
            selector.wakeup();
        }

        private void run() {
            try {
                while (true) {
                    selector.select();
                    Socket added;
                    while ((added = pending.poll()) != null) {
                        added.channel.configureBlocking(false);
                        added.channel.register(selector, SelectionKey.OP_READ, added);
                        added.drain(System.nanoTime()); // bytes that came with the handshake's answer
                    }
                    var keys = selector.selectedKeys();
                    for (SelectionKey key : keys) {
                        Socket socket = (Socket) key.attachment();
                        if (!socket.read()) {
                            key.cancel();
                        }
                    }
                    keys.clear();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One client socket. */
    public static final class Socket {
        final Handler handler;
        ByteBuffer in = ByteBuffer.allocate(INITIAL_BUFFER);
        byte[] message = new byte[0]; // a fragmented message being assembled
        int messageLength;
        volatile SocketChannel channel;
        volatile int closeCode;
        volatile String closeReason;

        public Socket(Handler handler) {
            this.handler = handler;
        }

        /** Open: handshake done and no close seen. */
        public boolean isOpen() {
            return channel != null && closeCode == 0;
        }

        /** The handshake succeeded (the socket may have closed since). */
        public boolean connected() {
            return channel != null;
        }

        /** The close frame's reason text ("" without one); null before a close frame came. */
        public String closeReason() {
            return closeReason;
        }

        /** 0 while open (or never opened); else as {@link Handler#closed}. */
        public int closeCode() {
            return closeCode;
        }

        /** Blocking: connect, send the upgrade, read the 101; what follows the answer stays in {@code in}. */
        public void handshake(URI uri, Map<String, String> headers) throws Exception {
            SocketChannel socket = SocketChannel.open();
            try {
                socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
                socket.socket().connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 10_000);
                socket.socket().setSoTimeout(30_000);
                byte[] nonce = new byte[16];
                ThreadLocalRandom.current().nextBytes(nonce);
                String key = Base64.getEncoder().encodeToString(nonce);
                StringBuilder request = new StringBuilder("GET ").append(uri.getRawPath())
                        .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()).append(" HTTP/1.1\r\n")
                        .append("Host: ").append(uri.getHost()).append(':').append(uri.getPort()).append("\r\n")
                        .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                        .append("Sec-WebSocket-Key: ").append(key).append("\r\nSec-WebSocket-Version: 13\r\n");
                headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
                ByteBuffer out = ByteBuffer.wrap(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
                while (out.hasRemaining()) {
                    socket.write(out);
                }
                int headEnd;
                while ((headEnd = headEnd(in)) < 0) {
                    if (!in.hasRemaining()) { // the first message can come in the same read as the answer
                        throw new IOException("handshake answer too long");
                    }
                    if (socket.read(in) < 0) {
                        throw new IOException("closed during the handshake");
                    }
                }
                String head = new String(in.array(), 0, headEnd, StandardCharsets.ISO_8859_1);
                if (!head.startsWith("HTTP/1.1 101")) {
                    throw new IOException("handshake refused: " + head.lines().findFirst().orElse(""));
                }
                String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                        .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
                if (!head.toLowerCase().contains("sec-websocket-accept: " + accept.toLowerCase())) {
                    throw new IOException("bad Sec-WebSocket-Accept");
                }
                in.flip();
                in.position(headEnd + 4);
                in.compact(); // write mode again, holding any frame bytes that came along
                channel = socket;
            } catch (Exception e) {
                socket.close();
                throw e;
            }
        }

        private static int headEnd(ByteBuffer buffer) {
            byte[] a = buffer.array();
            for (int i = 0; i + 3 < buffer.position(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        /** Reads what is there and handles every complete frame; false once the socket is gone. */
        boolean read() {
            try {
                int read;
                while ((read = channel.read(in)) > 0) {
                    drain(System.nanoTime());
                    if (!in.hasRemaining()) {
                        in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
                    }
                }
                if (read < 0) {
                    gone(-1);
                    return false;
                }
                if (in.position() == 0 && in.capacity() > INITIAL_BUFFER) {
                    in = ByteBuffer.allocate(INITIAL_BUFFER); // a large message passed: idle sockets stay small
                }
                return true;
            } catch (IOException e) {
                gone(-2);
                return false;
            }
        }

        private void gone(int code) {
            boolean first = closeCode == 0;
            if (first) {
                closeCode = code;
            }
            try {
                channel.close();
            } catch (IOException ignored) {
                // gone anyway
            }
            if (first) {
                handler.closed(this, code);
            }
        }

        /** Handles every complete frame in {@code in} (write mode before and after). */
        void drain(long now) {
            in.flip();
            byte[] a = in.array();
            while (in.remaining() >= 2) {
                int at = in.position();
                int b0 = a[at] & 0xFF;
                int b1 = a[at + 1] & 0xFF;
                long length = b1 & 0x7F;
                int header = 2;
                if (length == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    length = ((a[at + 2] & 0xFF) << 8) | (a[at + 3] & 0xFF);
                    header = 4;
                } else if (length == 127) {
                    if (in.remaining() < 10) {
                        break;
                    }
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | (a[at + 2 + i] & 0xFF);
                    }
                    header = 10;
                }
                if ((b1 & 0x80) != 0) {
                    gone(-2); // a server never masks
                    break;
                }
                if (in.remaining() < header + length) {
                    if (header + length > in.capacity()) { // grow so the whole frame fits
                        ByteBuffer bigger = ByteBuffer.allocate((int) Math.max(in.capacity() * 2L, header + length));
                        bigger.put(in);
                        in = bigger;
                        return; // write mode, as promised
                    }
                    break;
                }
                frame(b0 & 0x80, b0 & 0x0F, a, at + header, (int) length, now);
                in.position(at + header + (int) length);
            }
            in.compact();
        }

        private void frame(int fin, int opcode, byte[] a, int from, int length, long now) {
            switch (opcode) {
                case 0x1, 0x0 -> {
                    if (fin != 0 && messageLength == 0) {
                        handler.text(this, a, from, length, now);
                    } else {
                        if (message.length < messageLength + length) {
                            message = Arrays.copyOf(message, Math.max(2 * message.length, messageLength + length));
                        }
                        System.arraycopy(a, from, message, messageLength, length);
                        messageLength += length;
                        if (fin != 0) {
                            handler.text(this, message, 0, messageLength, now);
                            messageLength = 0;
                            message = new byte[0];
                        }
                    }
                }
                case 0x8 -> {
                    int code = length >= 2 ? ((a[from] & 0xFF) << 8) | (a[from + 1] & 0xFF) : 1005;
                    if (closeCode == 0) {
                        closeReason = length > 2 ? new String(a, from + 2, length - 2, StandardCharsets.UTF_8) : "";
                        closeCode = code;
                        handler.closed(this, code);
                    }
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // gone
                    }
                }
                case 0x9 -> sendFrame(0xA, Arrays.copyOfRange(a, from, from + length));
                default -> { } // pong, binary
            }
        }

        /** A text message, one masked frame; written from the caller's thread (small: one write takes it). */
        public void sendText(String text) {
            sendFrame(0x1, text.getBytes(StandardCharsets.UTF_8));
        }

        /** A masked client frame; spins until written (the frames sent here are small). */
        public synchronized void sendFrame(int opcode, byte[] payload) {
            SocketChannel to = channel;
            if (to == null) {
                return;
            }
            int n = payload.length;
            ByteBuffer frame = ByteBuffer.allocate(14 + n);
            frame.put((byte) (0x80 | opcode));
            if (n < 126) {
                frame.put((byte) (0x80 | n));
            } else if (n < 65536) {
                frame.put((byte) (0x80 | 126)).putShort((short) n);
            } else {
                frame.put((byte) (0x80 | 127)).putLong(n);
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < n; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
            frame.flip();
            try {
                while (frame.hasRemaining() && to.write(frame) >= 0) {
                    if (frame.hasRemaining()) {
                        Thread.onSpinWait();
                    }
                }
            } catch (IOException ignored) {
                // the socket is gone; its reader notices
            }
        }

        /** Sends a close frame (1000) if open; {@link #abort()} afterwards drops the connection. */
        public void close() {
            if (isOpen()) {
                sendFrame(0x8, new byte[] {0x03, (byte) 0xE8});
            }
        }

        /** Drops the connection without a close handshake. */
        public void abort() {
            SocketChannel to = channel;
            if (to != null) {
                try {
                    to.close();
                } catch (IOException ignored) {
                    // going anyway
                }
            }
        }
    }

    /** A close frame on every open socket, a moment for the server's answers, then every connection goes. */
    public static void closeAll(Socket[] sockets) throws InterruptedException {
        for (Socket socket : sockets) {
            if (socket != null) {
                socket.close();
            }
        }
        Thread.sleep(1000);
        for (Socket socket : sockets) {
            if (socket != null) {
                socket.abort();
            }
        }
    }
}
