package io.atelier.workspace.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import io.atelier.platform.events.Topics;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.users.UserDirectory;

/**
 * Makes people the users replica knows, as auth-service would: a {@code auth.user.created} event on
 * {@code auth.user-events}, then waiting until the replica has applied it (invitations need it).
 */
public final class KnownUsers implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private static final Duration REPLICA_ARRIVAL = Duration.ofSeconds(90);

    private final TokenForge tokens;
    private final UserDirectory users;
    private final CloudEventWriter auth = CloudEventWriter.local();

    public KnownUsers(TokenForge tokens, UserDirectory users) {
        this.tokens = tokens;
        this.users = users;
    }

    public Person create(String displayName) {
        Person person = Person.newPerson(tokens);
        try {
            auth.publish(Topics.AUTH_USER_EVENTS, UserCreated.TYPE, "auth-service", person.id().toString(),
                    JSON.writeValueAsString(new UserCreated(person.id(), person.email(), displayName, Instant.now())));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        // Usually milliseconds; the first time after start up to the broker's session timeout (45 s), when a
        // member of the same consumer group went away without leaving (a killed test JVM, another checkout's run).
        await().atMost(REPLICA_ARRIVAL).until(() -> users.find(person.id()).isPresent());
        return person;
    }

    @Override
    public void close() {
        auth.close();
    }
}
