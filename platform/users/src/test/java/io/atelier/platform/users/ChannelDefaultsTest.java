package io.atelier.platform.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import io.atelier.platform.events.Topics;

/** The jar's channel defaults, where a topic name has to be spelled outside {@link Topics}. */
class ChannelDefaultsTest {

    private static final String CHANNEL = "mp.messaging.incoming.atelier-users.";

    @Test
    void consumesTheAuthTopicInAGroupOfItsOwnPerService() throws IOException {
        Properties defaults = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            defaults.load(in);
        }

        assertThat(defaults.getProperty(CHANNEL + "topic")).isEqualTo(Topics.AUTH_USER_EVENTS);
        assertThat(defaults.getProperty(CHANNEL + "group.id")).isEqualTo("${quarkus.application.name}.users");
        assertThat(defaults.getProperty(CHANNEL + "auto.offset.reset")).isEqualTo("earliest");
        assertThat(defaults.getProperty(CHANNEL + "failure-strategy")).isEqualTo("fail");
        assertThat(defaults.getProperty(CHANNEL + "cloud-events")).isEqualTo("false");
    }
}
