package io.atelier.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;

/**
 * Makes a consumer idempotent: the event id is recorded in the same transaction as the event's
 * effects, so a redelivered event (same {@code ce_id}) is recognised and skipped.
 */
@ApplicationScoped
public class ConsumedEvents {

    private static final String RECORD = """
            INSERT INTO atelier_consumed_event (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING""";

    private final AgroalDataSource dataSource;

    ConsumedEvents(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param consumer a stable name of the consuming handler (one service may consume an event in two ways)
     * @return true the first time this consumer sees the event; false for every redelivery
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean firstDelivery(String consumer, String eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(RECORD)) {
            insert.setString(1, consumer);
            insert.setString(2, eventId);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new OutboxException("could not record consumed event " + eventId, e);
        }
    }
}
