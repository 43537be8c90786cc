package io.atelier.pipeline.enrich;

import java.time.Instant;

/** What enrichment adds about a known user: as the profile cache holds it, fed by auth.user-events. */
public record UserProfile(String displayName, Instant signedUpAt) {
}
