package io.atelier.jobs;

import org.junit.jupiter.api.Test;

import io.atelier.platform.testing.Architecture;

/** Plain JUnit: the packages of job-worker form no dependency loop. */
class ArchitectureTest {

    @Test
    void packagesHaveNoCycles() {
        Architecture.assertNoPackageCycles("io.atelier.jobs");
    }
}
