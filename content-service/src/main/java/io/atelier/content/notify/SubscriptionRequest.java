package io.atelier.content.notify;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.atelier.platform.feeds.FeedId;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * What a client asks for in the handshake's query: {@code since} (the id of the last notification it saw:
 * resume after it) and {@code types} (comma-separated notification types; all when absent). Other
 * parameters ({@code access_token}, a browser's cache-buster) are left alone.
 *
 * @param since null: live notifications only
 * @param types null: every type
 */
record SubscriptionRequest(FeedId since, Set<NotificationType> types) {

    /** Thrown with a reason fit for a 4400 close. */
    static final class Invalid extends IllegalArgumentException {
        Invalid(String reason) {
            super(reason);
        }
    }

    static SubscriptionRequest parse(String query) {
        Map<String, List<String>> parameters = new QueryStringDecoder(query == null ? "" : query, false)
                .parameters();
        return new SubscriptionRequest(since(single(parameters, "since")), types(single(parameters, "types")));
    }

    private static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw new Invalid(name + ": given more than once");
        }
        return values.getFirst();
    }

    private static FeedId since(String text) {
        if (text == null) {
            return null;
        }
        try {
            return FeedId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Invalid("since: not a notification id");
        }
    }

    private static Set<NotificationType> types(String text) {
        if (text == null) {
            return null;
        }
        Set<NotificationType> types = EnumSet.noneOf(NotificationType.class);
        for (String name : text.split(",", -1)) {
            NotificationType type = NotificationType.ofWireName(name.strip());
            if (type == null) {
                // Echoed only when it is a plain word: a close reason is no place for arbitrary client text.
                throw new Invalid("types: unknown type" + (name.matches("[A-Za-z0-9_-]{1,40}") ? " " + name : ""));
            }
            types.add(type);
        }
        return types;
    }
}
