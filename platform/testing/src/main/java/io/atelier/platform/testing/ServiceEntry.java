package io.atelier.platform.testing;

import java.nio.file.Path;
import java.util.List;

/**
 * One line of {@code deploy/local/services}: a service, its HTTP port (overridable by
 * {@code ATELIER_PORT_<NAME>}), schema (= role) and module.
 */
public record ServiceEntry(String name, String port, String schema, String module) {

    static List<ServiceEntry> readAll(Path file) {
        return LocalSuite.readLines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+"))
                .map(f -> new ServiceEntry(f[0], portOverride(f[0]).orElse(f[1]), f[2], f[3]))
                .toList();
    }

    /** {@code ATELIER_PORT_AUTH_SERVICE} for auth-service, as the launcher and the gateway read it. */
    static java.util.Optional<String> portOverride(String service) {
        String variable = "ATELIER_PORT_" + service.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        return java.util.Optional.ofNullable(System.getenv(variable)).filter(v -> !v.isBlank());
    }
}
