package io.atelier.content.author;

import java.util.UUID;

/**
 * Who wrote a post, as the API shows it. {@code displayName} comes from the users replica; it is null
 * for the moment between a sign-up and its event reaching this service.
 */
public record Author(UUID id, String displayName) {
}
