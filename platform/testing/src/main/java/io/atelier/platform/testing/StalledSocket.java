package io.atelier.platform.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;

/**
 * A WebSocket client that completes the handshake and then reads nothing, over a socket with a tiny
 * receive buffer: what a server sees of a client on a dead network or a frozen tab. Its writes back up
 * within kilobytes. {@link #closeFrame(Duration)} reads everything afterwards and returns the server's
 * close frame; {@link #texts(int, Duration)} reads on like a client that was only slow for a while.
 */
public final class StalledSocket implements AutoCloseable {

    /** The close code and reason a server sent. */
    public record CloseFrame(int code, String reason) {
    }

    private final Socket socket;
    private final DataInputStream in;

    private StalledSocket(Socket socket, DataInputStream in) {
        this.socket = socket;
        this.in = in;
    }

    /** Opens {@code uri} (http or ws) with {@code Authorization: Bearer token} and stops reading once upgraded. */
    public static StalledSocket connect(URI uri, String token) {
        Socket socket = new Socket();
        try {
            socket.setReceiveBufferSize(4096);
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 5000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            new SecureRandom().nextBytes(nonce);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String request = "GET " + path + " HTTP/1.1\r\n"
                    + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 8192));
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IllegalStateException("handshake refused: " + head.lines().findFirst().orElse(""));
            }
            return new StalledSocket(socket, in);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    /** Starts reading at last: skips every data frame and returns the close frame, or null if the connection just ended. */
    public CloseFrame closeFrame(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            while (true) {
                Frame frame = readFrame();
                if (frame.opcode() == 0x8) {
                    byte[] payload = frame.payload();
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                    String reason = payload.length > 2
                            ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                    return new CloseFrame(code, reason);
                }
            }
        } catch (EOFException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts (or goes on) reading: the next {@code count} text messages (single-frame, as servers here send
     * them), skipping control frames; fails when the connection closes first or nothing comes for {@code idle}.
     */
    public List<String> texts(int count, Duration idle) {
        List<String> texts = new ArrayList<>(count);
        try {
            socket.setSoTimeout((int) idle.toMillis());
            while (texts.size() < count) {
                Frame frame = readFrame();
                if (frame.opcode() == 0x8) {
                    throw new IllegalStateException("closed after " + texts.size() + " messages");
                }
                if (frame.opcode() == 0x1) {
                    texts.add(new String(frame.payload(), StandardCharsets.UTF_8));
                }
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record Frame(int opcode, byte[] payload) {
    }

    private Frame readFrame() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        return new Frame(first & 0x0f, in.readNBytes((int) length));
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
