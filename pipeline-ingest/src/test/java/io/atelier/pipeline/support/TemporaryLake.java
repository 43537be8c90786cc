package io.atelier.pipeline.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A lake of the test's own for the packaged app (an {@code *IT} runs the prod profile): a temporary folder, a name in
 * the manifest and a consumer group nobody else uses, reading only what arrives from now on, in small batches. Without
 * it the packaged app would join the real lake's group on the shared broker.
 */
public class TemporaryLake implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return settings("it");
    }

    /** Settings of a fresh temporary lake. */
    public static Map<String, String> settings(String prefix) {
        String id = prefix + "-" + UUID.randomUUID();
        try {
            return Map.of("atelier.lake.dir", Files.createTempDirectory("atelier-lake-" + prefix).toString(),
                    "atelier.lake.name", id,
                    "atelier.lake.loader.group-id", "pipeline-ingest-lake-" + id,
                    "atelier.lake.loader.start-at", "latest",
                    "atelier.lake.loader.batch-rows", "500",
                    "atelier.lake.loader.batch-age", "1s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The folder is in the temporary directory; the manifest rows carry the lake's unique name.
    }
}
