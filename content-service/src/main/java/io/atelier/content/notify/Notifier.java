package io.atelier.content.notify;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.platform.events.Backoff;
import io.atelier.platform.events.CloudEventHeaders;
import io.atelier.platform.events.EventContext;
import io.atelier.platform.events.ReceivedEvent;
import io.atelier.platform.events.StoreFailures;
import io.atelier.platform.events.content.ContentEvent;
import io.atelier.platform.feeds.Feed;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Puts every event of {@code content.events} into the notification feed, once. One consumer group is
 * shared by all instances, so each event is appended by one of them; the feed's dedupe (by the event's
 * {@code ce_id}) absorbs the redeliveries of a rebalance. The feed, not Kafka, is what sockets read: its
 * ids are one order that every instance shares, which is what lets a client resume on any of them.
 *
 * <p>While Redis is away the consumer holds the same event and retries (backing off to 5 s) rather than
 * skipping it: nothing is acked before it is in the feed, so nothing is lost, only late. A record that is
 * not a readable content event is counted, logged and skipped: retrying cannot fix it.
 */
@ApplicationScoped
public class Notifier {

    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final NotificationFeed notifications;
    private final NotificationData data;
    private final ObjectMapper json;
    private final MeterRegistry metrics;
    private final CountDownLatch stopping = new CountDownLatch(1);

    Notifier(NotificationFeed notifications, NotificationData data, ObjectMapper json, MeterRegistry metrics) {
        this.notifications = notifications;
        this.data = data;
        this.json = json;
        this.metrics = metrics;
    }

    void stop(@jakarta.enterprise.event.Observes ShutdownEvent shutdown) {
        stopping.countDown();
    }

    @Incoming("content-notifications")
    @Blocking
    public CompletionStage<Void> notify(Message<String> record) {
        Message<String> message;
        try {
            message = CloudEventHeaders.attach(record);
        } catch (ReceivedEvent.NotACloudEventException e) {
            return skip(record, "not a CloudEvent: " + e.getMessage(), null);
        }
        try (Scope ignored = EventContext.restore(message)) {
            ReceivedEvent event = ReceivedEvent.of(message);
            NotificationType type = NotificationType.ofEventType(event.type());
            if (type == null) {
                return skip(message, "unknown type", event.id());
            }
            ContentEvent payload = json.readValue(message.getPayload(), type.payload());
            if (!append(notifications.feed(), event.id(), type, payload)) {
                return record.nack(new IllegalStateException("stopping before event " + event.id() + " was notified"));
            }
        } catch (JsonProcessingException e) {
            return skip(record, "unreadable payload", null);
        } catch (NotificationData.UnusableEvent e) {
            return skip(record, e.getMessage(), null);
        }
        return record.ack();
    }

    /**
     * Retries until appended: Redis or the users replica (for display names) may be away for a while.
     *
     * @return false when the application stops first (the event is then not acked, and comes again)
     */
    private boolean append(Feed feed, String eventId, NotificationType type, ContentEvent payload) {
        Duration backoff = Duration.ZERO;
        boolean warned = false;
        while (true) {
            try {
                feed.append(eventId, data.of(type, payload).fields())
                        .ifPresentOrElse(id -> metrics.counter("atelier.content.notifications.appended").increment(),
                                () -> metrics.counter("atelier.content.notifications.duplicates").increment());
                if (warned) {
                    Log.infof("notification feed reachable again; event %s appended", eventId);
                }
                return true;
            } catch (NotificationData.UnusableEvent e) {
                throw e;
            } catch (RuntimeException e) {
                if (StoreFailures.isTheRecordsOwn(e)) { // a field it lacks or cannot hold: no retry mends it
                    throw new NotificationData.UnusableEvent(type + ": " + e.getClass().getSimpleName());
                }
                if (!warned) {
                    Log.warnf("cannot notify event %s (%s); holding it and retrying", eventId, e.getMessage());
                    warned = true;
                }
                metrics.counter("atelier.content.notifications.retries").increment();
                backoff = Backoff.next(backoff, MAX_BACKOFF);
                try {
                    if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                        return false;
                    }
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    private CompletionStage<Void> skip(Message<String> message, String why, String eventId) {
        // A producer bug: retrying it would stop every notification behind it. Counted, logged, skipped.
        metrics.counter("atelier.content.notifications.rejected").increment();
        Log.errorf("content.events record skipped (%s)%s", why, eventId == null ? "" : " id " + eventId);
        return message.ack();
    }
}
