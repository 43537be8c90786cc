package io.atelier.pipeline.lake;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the lake's folder takes files and the loader runs. */
@Readiness
@ApplicationScoped
public class LakeHealth implements HealthCheck {

    private final LakeLoader loader;
    private final LakeFolder folder;

    LakeHealth(LakeLoader loader, LakeConfig config) {
        this.loader = loader;
        this.folder = new LakeFolder(config.dir());
    }

    @Override
    public HealthCheckResponse call() {
        boolean writable = folder.writable();
        boolean loading = loader.running();
        return HealthCheckResponse.named("analytics-lake").status(writable && loading)
                .withData("folder", folder.root().toString()).withData("writable", writable)
                .withData("loader", loading).build();
    }
}
