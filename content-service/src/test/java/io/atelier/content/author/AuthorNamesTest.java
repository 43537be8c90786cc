package io.atelier.content.author;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.content.support.Member;
import io.atelier.platform.events.Topics;
import io.atelier.platform.events.auth.UserCreated;
import io.atelier.platform.events.auth.UserUpdated;
import io.atelier.platform.security.testing.TestTokenKeys;
import io.atelier.platform.security.testing.TokenForge;
import io.atelier.platform.testing.CloudEventWriter;
import io.atelier.platform.testing.RealServers;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Author names come from auth.user-events through the local replica, never from a call to auth-service. */
@QuarkusTest
@WithTestResource(value = RealServers.class, initArgs = @ResourceArg(name = RealServers.SERVICE, value = "content-service"))
@WithTestResource(TestTokenKeys.class)
class AuthorNamesTest {

    TokenForge tokens;

    @Inject
    ObjectMapper json;

    @Test
    void postsShowTheAuthorsCurrentDisplayName() throws Exception {
        Member ada = Member.newMember(tokens);
        UUID post = ada.postId("Signed");
        try (CloudEventWriter auth = CloudEventWriter.local()) {
            Instant created = Instant.now();
            auth.publish(Topics.AUTH_USER_EVENTS, UserCreated.TYPE, "auth-service", ada.id().toString(),
                    json.writeValueAsString(new UserCreated(ada.id(), "ada-" + ada.id() + "@example.com", "Ada", created)));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ada.request().get("/api/v1/posts/" + post)
                    .then().statusCode(200).body("author.displayName", equalTo("Ada")));

            auth.publish(Topics.AUTH_USER_EVENTS, UserUpdated.TYPE, "auth-service", ada.id().toString(),
                    json.writeValueAsString(new UserUpdated(ada.id(), "ada-" + ada.id() + "@example.com",
                            "Ada Lovelace", created.plusSeconds(1))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> ada.request()
                    .get("/api/v1/posts?authorId=" + ada.id())
                    .then().statusCode(200).body("items[0].author.displayName", equalTo("Ada Lovelace")));
        }
    }
}
