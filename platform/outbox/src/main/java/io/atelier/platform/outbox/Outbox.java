package io.atelier.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.events.DomainEvent;

/**
 * Records an event in the caller's transaction. The row and the state change commit or roll back
 * together; {@link OutboxRelay} publishes committed rows to Kafka afterwards.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT = """
            INSERT INTO atelier_outbox (id, topic, event_key, event_type, payload) VALUES (?, ?, ?, ?, ?)""";

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
     * exactly what the outbox exists to prevent.
     *
     * @return the event id ({@code ce_id}), stable across redeliveries
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID publish(DomainEvent event) {
        UUID id = UUID.randomUUID();
        // Agroal hands out the connection already enlisted in this transaction (the one ORM uses too).
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, id);
            insert.setString(2, event.topic());
            insert.setString(3, event.subject());
            insert.setString(4, event.eventType());
            insert.setString(5, json.writeValueAsString(event));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new OutboxException("could not record event " + event.eventType(), e);
        } catch (JsonProcessingException e) {
            throw new OutboxException("event " + event.eventType() + " is not serialisable", e);
        }
        transactions.registerInterposedSynchronization(new WakeRelayAfterCommit(relay));
        return id;
    }

    private record WakeRelayAfterCommit(OutboxRelay relay) implements Synchronization {
        @Override
        public void beforeCompletion() {
        }

        @Override
        public void afterCompletion(int status) {
            if (status == Status.STATUS_COMMITTED) {
                relay.wake();
            }
        }
    }
}
