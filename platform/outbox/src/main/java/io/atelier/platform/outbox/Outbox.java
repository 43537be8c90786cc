package io.atelier.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
        UUID id = UUID.randomUUID();
        EventContext origin = EventContext.current();
        // Agroal hands out the connection already enlisted in this transaction (the one ORM uses too).
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, id);
            insert.setString(2, event.topic());
            insert.setString(3, event.subject());
            insert.setString(4, event.eventType());
            insert.setString(5, json.writeValueAsString(event));
            insert.setString(6, origin.requestId());
            insert.setString(7, origin.traceparent());
            insert.setString(8, origin.tracestate());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("could not record event " + event.eventType(), e);
        } catch (JsonProcessingException e) {
            throw new OutboxException("event " + event.eventType() + " is not serialisable", e);
        }
        AfterCommit.run(transactions, relay::wake);
        return id;
    }
}
