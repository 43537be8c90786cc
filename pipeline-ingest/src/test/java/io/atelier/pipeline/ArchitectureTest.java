package io.atelier.pipeline;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.Architecture;

/** Plain JUnit: the packages of pipeline-ingest form no dependency loop. */
class ArchitectureTest {

    @Test
    void packagesHaveNoCycles() {
        Architecture.assertNoPackageCycles("io.atelier.pipeline");
    }
}
