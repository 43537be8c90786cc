package io.atelier.workspace;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.Architecture;

/** Plain JUnit: the feature packages of workspace-service form no dependency loop. */
class ArchitectureTest {

    @Test
    void featurePackagesHaveNoCycles() {
        Architecture.assertNoPackageCycles("io.atelier.workspace");
    }
}
