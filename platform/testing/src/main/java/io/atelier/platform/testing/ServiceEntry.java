package io.atelier.platform.testing;

import java.nio.file.Path;
import java.util.List;

/** One line of {@code deploy/local/services}: a service, its HTTP port, schema (= role) and module. */
public record ServiceEntry(String name, String port, String schema, String module) {

    static List<ServiceEntry> readAll(Path file) {
        return LocalSuite.readLines(file).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+"))
                .map(f -> new ServiceEntry(f[0], f[1], f[2], f[3]))
                .toList();
    }
}
