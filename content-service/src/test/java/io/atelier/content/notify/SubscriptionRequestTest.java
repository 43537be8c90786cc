package io.atelier.content.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.atelier.platform.feeds.FeedId;

/** Plain JUnit: the handshake's query. */
class SubscriptionRequestTest {

    @Test
    void nothingAskedMeansLiveAndEverything() {
        assertThat(SubscriptionRequest.parse(null)).isEqualTo(new SubscriptionRequest(null, null));
        assertThat(SubscriptionRequest.parse("access_token=abc&_=123")).isEqualTo(new SubscriptionRequest(null, null));
    }

    @Test
    void sinceAndTypesAreRead() {
        SubscriptionRequest request = SubscriptionRequest.parse("since=1700000000000-3&types=post_created,%20post_deleted");
        assertThat(request.since()).isEqualTo(new FeedId(1700000000000L, 3));
        assertThat(request.types()).isEqualTo(EnumSet.of(NotificationType.POST_CREATED, NotificationType.POST_DELETED));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "since=abc|since: not a notification id",
            "since=|since: not a notification id",
            "since=1-1&since=2-2|since: given more than once",
            "types=|types: unknown type",
            "types=post_created,,post_deleted|types: unknown type",
            "types=POST_CREATED|types: unknown type POST_CREATED",
            "types=%0Aevil|types: unknown type" })
    void badQueriesAreRefusedWithAReason(String query, String reason) {
        assertThatThrownBy(() -> SubscriptionRequest.parse(query)).isInstanceOf(SubscriptionRequest.Invalid.class)
                .hasMessage(reason);
    }

    @Test
    void everyTypeHasItsWireName() {
        for (NotificationType type : NotificationType.values()) {
            assertThat(NotificationType.ofWireName(type.wireName())).isEqualTo(type);
        }
        assertThat(NotificationType.POST_ADDED_TO_COLLECTION.wireName()).isEqualTo("post_added_to_collection");
    }
}
