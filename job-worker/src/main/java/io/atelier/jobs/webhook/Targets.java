package io.atelier.jobs.webhook;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a webhook may go: http(s) URLs whose host resolves only to public addresses. Loopback, private
 * (RFC 1918, IPv6 unique-local), link-local (cloud metadata at 169.254.169.254), carrier-grade NAT,
 * unspecified, multicast and IPv4-mapped forms of these are refused unless an allowed network contains them.
 * Every address the name resolves to must pass, so a name with one public and one private address is refused.
 */
public final class Targets {

    /** Looks names up; tests substitute their own. */
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Cidr> allowed;
    private final Resolver resolver;

    public Targets(List<String> allowedNetworks, Resolver resolver) {
        this.allowed = allowedNetworks.stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    /** Checks the URL's form and, when its host is an address literal, the address (no lookup). */
    public URI checkForm(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new TargetRefused("is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new TargetRefused("must be an http or https URL");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw new TargetRefused("must name a host (and no user info)");
        }
        if (isLiteral(uri.getHost())) {
            try {
                check(uri.getHost(), resolver.resolve(literal(uri.getHost())));
            } catch (UnknownHostException e) {
                throw new TargetRefused("is not a valid address");
            }
        }
        return uri;
    }

    /** The full check before a delivery: the form, then every address the host resolves to. */
    public URI check(String url) throws UnknownHostException {
        URI uri = checkForm(url);
        check(uri.getHost(), resolver.resolve(literal(uri.getHost())));
        return uri;
    }

    private void check(String host, InetAddress[] addresses) {
        for (InetAddress address : addresses) {
            if (restricted(address) && allowed.stream().noneMatch(network -> network.contains(address))) {
                throw new TargetRefused("must not reach a private, loopback or link-local address (" + host + " is "
                        + address.getHostAddress() + ")");
            }
        }
    }

    static boolean restricted(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (b.length == 4) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved, broadcast
        }
        if ((b[0] & 0xfe) == 0xfc) {
            return true; // IPv6 unique-local fc00::/7
        }
        if (isMappedV4(b)) {
            try {
                return restricted(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
            } catch (UnknownHostException e) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
    }

    private static boolean isLiteral(String host) {
        return host.startsWith("[") || host.matches("[0-9.]+");
    }

    private static String literal(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A network in CIDR form ({@code 10.0.0.0/8}, {@code fd00::/8}) or one address. */
    record Cidr(byte[] network, int prefix) {

        static Cidr parse(String text) {
            String trimmed = text.strip();
            int slash = trimmed.indexOf('/');
            String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("not a network address: " + text);
            }
            try {
                byte[] bytes = InetAddress.getByName(address).getAddress();
                int prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("bad prefix length: " + text);
                }
                return new Cidr(bytes, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not a network: " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[full] & mask) == (network[full] & mask);
        }
    }

    /** The URL may not be used; the message completes "Field 'payload.url' ...". */
    public static final class TargetRefused extends RuntimeException {
        public TargetRefused(String message) {
            super(message, null, false, false);
        }
    }
}
