package io.atelier.content;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.Architecture;

/** Plain JUnit: the feature packages of content-service form no dependency loop. */
class ArchitectureTest {

    @Test
    void featurePackagesHaveNoCycles() {
        Architecture.assertNoPackageCycles("io.atelier.content");
    }
}
