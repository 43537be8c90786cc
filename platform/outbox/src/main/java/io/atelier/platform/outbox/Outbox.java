package io.atelier.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.events.DomainEvent;
import io.atelier.platform.events.EventContext;

/**
 * Records an event in the caller's transaction. The row and the state change commit or roll back
 * together; {@link OutboxRelay} publishes committed rows to Kafka afterwards.
 *
 * <p>The relay sends later, from its own thread, so the caller's context is captured here: the
 * request id and the current span ({@link EventContext#current()}) are stored with the row and travel
 * with the event.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = """
            INSERT INTO atelier_outbox (id, topic, event_key, event_type, payload, request_id, traceparent, tracestate)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final TransactionSynchronizationRegistry transactions;
    private final OutboxRelay relay;

    Outbox(AgroalDataSource dataSource, ObjectMapper json, TransactionSynchronizationRegistry transactions,
            OutboxRelay relay) {
        this.dataSource = dataSource;
        this.json = json;
        this.transactions = transactions;
        this.relay = relay;
    }

    /**
     * Adds the event to the current transaction. Needs one: an event without its state change is
     * exactly what the outbox exists to prevent. The calling thread's request id and trace context
     * go with it.
     *
     * @return the event id ({@code ce_id}), stable across redeliveries
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID publish(DomainEvent event) {
        return publishAll(List.of(event)).get(0);
    }

    /**
     * Adds the events to the current transaction in one round trip to the database, in their order
     * (which is the order the relay sends them in), each with the calling thread's context.
     *
     * @return the events' ids, in the same order
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<UUID> publishAll(List<? extends DomainEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        EventContext origin = EventContext.current();
        List<UUID> ids = new ArrayList<>(events.size());
        // Agroal hands out the connection already enlisted in this transaction (the one ORM uses too).
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            for (DomainEvent event : events) {
                UUID id = UUID.randomUUID();
                insert.setObject(1, id);
                insert.setString(2, event.topic());
                insert.setString(3, event.subject());
                insert.setString(4, event.eventType());
                insert.setString(5, serialised(event));
                insert.setString(6, origin.requestId());
                insert.setString(7, origin.traceparent());
                insert.setString(8, origin.tracestate());
                if (events.size() == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
                ids.add(id);
            }
            if (events.size() > 1) {
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new OutboxException("could not record event " + events.get(0).eventType()
                    + (events.size() > 1 ? " and " + (events.size() - 1) + " more" : ""), e);
        }
        AfterCommit.run(transactions, relay::wake);
        return ids;
    }

    private String serialised(DomainEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new OutboxException("event " + event.eventType() + " is not serialisable", e);
        }
    }
}
