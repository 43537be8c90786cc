package io.atelier.auth;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.Architecture;

/** Plain JUnit: the feature packages of auth-service form no dependency loop. */
class ArchitectureTest {

    @Test
    void featurePackagesHaveNoCycles() {
        Architecture.assertNoPackageCycles("io.atelier.auth");
    }
}
