package io.atelier.pipeline.enrich;

import java.util.Optional;

/** Finds a user's profile for enrichment; empty for an unknown user (a free-form id, or one not replicated yet). */
@FunctionalInterface
public interface UserProfiles {

    /** Never throws: a store that cannot answer answers empty (and counts it). Called on a Streams thread. */
    Optional<UserProfile> find(String userId);
}
