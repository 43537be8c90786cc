package io.atelier.jobs.store;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.atelier.platform.events.jobs.JobDeadLettered;
import io.atelier.platform.events.jobs.JobError;
import io.atelier.platform.events.jobs.JobStatusChanged;
import io.atelier.platform.outbox.AfterCommit;
import io.atelier.platform.outbox.Outbox;

/**
 * Every change to {@code job}, in the caller's transaction. Each status change goes through here and
 * records its {@code jobs.status} event in the outbox in the same transaction, so no change goes unseen.
 * A submit of a due job also NOTIFYs the workers (delivered when the transaction commits).
 *
 * <p>Plain SQL rather than an ORM: claims need {@code FOR UPDATE SKIP LOCKED} with {@code RETURNING}, the
 * payload, result and error history are jsonb, and completions are guarded by the lease in one statement.
 */
@ApplicationScoped
public class JobStore {

    /** The NOTIFY channel workers LISTEN on; the payload is the job type. */
    public static final String CHANNEL = "atelier_jobs";

    private static final String INSERT = """
            INSERT INTO job (id, user_id, project_id, type, payload, status, priority, run_at, max_attempts,
                             created_at, updated_at)
            VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)
            """ + " RETURNING " + Rows.COLUMNS;

    /** Many new jobs in one statement: one array per column, one row per index. */
    private static final String INSERT_ALL = """
            INSERT INTO job (id, user_id, project_id, type, payload, status, priority, run_at, max_attempts,
                             created_at, updated_at)
            SELECT id, user_id, project_id, type, payload::jsonb, status, priority, run_at, max_attempts, ?, ?
            FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::int[], ?::timestamptz[], ?::int[])
                 AS new (id, user_id, project_id, type, payload, status, priority, run_at, max_attempts)
            """ + " RETURNING " + Rows.COLUMNS;

    /** A schedule's job for one tick; nothing when another replica already made that tick's job. */
    private static final String INSERT_FOR_TICK = """
            INSERT INTO job (id, user_id, project_id, type, payload, status, priority, run_at, max_attempts,
                             created_at, updated_at, schedule_name, schedule_tick)
            VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (schedule_name, schedule_tick) WHERE schedule_name IS NOT NULL DO NOTHING
            """ + " RETURNING " + Rows.COLUMNS;

    private static final String LATEST_TICK = "SELECT max(schedule_tick) FROM job WHERE schedule_name = ?";

    private static final String LOCK_OWNED = "SELECT " + Rows.COLUMNS + " FROM job WHERE id = ? AND user_id = ? FOR UPDATE";

    private static final String CANCEL = """
            UPDATE job SET status = 'CANCELLED', finished_at = ?, updated_at = ? WHERE id = ?
            """ + " RETURNING " + Rows.COLUMNS;

    private static final String REQUEUE = """
            UPDATE job SET status = 'QUEUED', attempts = 0, run_at = ?, result = NULL, started_at = NULL,
                           finished_at = NULL, updated_at = ?
            WHERE id = ?
            """ + " RETURNING " + Rows.COLUMNS;

    /** The claimed rows and, last, each one's status before the claim (for its event). */
    private static final String CLAIM = """
            WITH picked AS (SELECT id, status AS previous FROM job
                            WHERE status IN ('QUEUED', 'SCHEDULED', 'RETRYING') AND run_at <= ? AND type = ?
                            ORDER BY priority DESC, run_at, id
                            LIMIT ? FOR UPDATE SKIP LOCKED)
            UPDATE job SET status = 'RUNNING', attempts = attempts + 1, lease_owner = ?, lease_until = ?,
                           started_at = ?, updated_at = ?
            FROM picked WHERE job.id = picked.id
            """ + " RETURNING " + Rows.qualified("job") + ", picked.previous";

    private static final String RENEW = """
            UPDATE job SET lease_until = ? WHERE status = 'RUNNING' AND lease_owner = ? AND id = ANY (?)
            RETURNING id""";

    private static final String LAPSED = "SELECT " + Rows.COLUMNS + """
             FROM job WHERE status = 'RUNNING' AND lease_until < ?
            ORDER BY lease_until LIMIT ? FOR UPDATE SKIP LOCKED""";

    private static final String FINISH_ATTEMPT = """
            UPDATE job SET status = ?, run_at = COALESCE(?, run_at), last_error = COALESCE(?, last_error),
                           errors = errors || ?::jsonb, result = ?::jsonb, finished_at = ?,
                           lease_owner = NULL, lease_until = NULL, updated_at = ?
            WHERE id = ? AND status = 'RUNNING' AND lease_owner = ?
            """ + " RETURNING " + Rows.COLUMNS;

    /** Many attempts' success at once: ids and results side by side; only rows the owner still holds. */
    private static final String SUCCEED_ALL = """
            UPDATE job SET status = 'SUCCEEDED', result = done.result::jsonb, finished_at = ?,
                           lease_owner = NULL, lease_until = NULL, updated_at = ?
            FROM unnest(?::uuid[], ?::text[]) AS done(id, result)
            WHERE job.id = done.id AND job.status = 'RUNNING' AND job.lease_owner = ?
            """ + " RETURNING " + Rows.qualified("job");

    private static final String HAND_BACK = """
            UPDATE job SET status = CASE WHEN attempts > 1 THEN 'RETRYING' ELSE 'QUEUED' END,
                           attempts = attempts - 1, run_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ?
            WHERE status = 'RUNNING' AND lease_owner = ?
            """ + " RETURNING " + Rows.COLUMNS;

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;
    private final Outbox outbox;
    private final TransactionSynchronizationRegistry transactions;
    private final Wakeups wakeups;

    JobStore(AgroalDataSource dataSource, ObjectMapper json, Outbox outbox,
            TransactionSynchronizationRegistry transactions, Wakeups wakeups) {
        this.dataSource = dataSource;
        this.json = json;
        this.outbox = outbox;
        this.transactions = transactions;
        this.wakeups = wakeups;
    }

    /** A new job: QUEUED when due at {@code now}, else SCHEDULED. Due jobs wake the workers once committed. */
    @Transactional(Transactional.TxType.MANDATORY)
    public JobRow insert(NewJob job, Instant now) {
        JobRow row = single(INSERT, s -> bindNew(s, job, now)).orElseThrow();
        inserted(row, now);
        return row;
    }

    /**
     * New jobs as {@link #insert} stores one, in one statement and one batch of events, and one NOTIFY per type
     * due now: a batch of 100 is 3 round trips instead of 300. Returns the rows in the order of {@code jobs}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobRow> insertAll(List<NewJob> jobs, Instant now) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        List<JobRow> stored;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(INSERT_ALL)) {
            Rows.set(statement, 1, now);
            Rows.set(statement, 2, now);
            statement.setArray(3, connection.createArrayOf("uuid", jobs.stream().map(NewJob::id).toArray()));
            statement.setArray(4, connection.createArrayOf("uuid", jobs.stream().map(NewJob::userId).toArray()));
            statement.setArray(5, connection.createArrayOf("uuid", jobs.stream().map(NewJob::projectId).toArray()));
            statement.setArray(6, connection.createArrayOf("text", jobs.stream().map(NewJob::type).toArray()));
            statement.setArray(7, connection.createArrayOf("text",
                    jobs.stream().map(job -> Rows.text(json, job.payload())).toArray()));
            statement.setArray(8, connection.createArrayOf("text",
                    jobs.stream().map(job -> initialStatus(job, now).name()).toArray()));
            statement.setArray(9, connection.createArrayOf("int4", jobs.stream().map(NewJob::priority).toArray()));
            statement.setArray(10, connection.createArrayOf("text", jobs.stream().map(job -> job.runAt().toString()).toArray()));
            statement.setArray(11, connection.createArrayOf("int4", jobs.stream().map(NewJob::maxAttempts).toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                stored = Rows.read(rows, json);
            }
        } catch (SQLException e) {
            throw new JobStoreException("could not store " + jobs.size() + " jobs", e);
        }
        Map<UUID, JobRow> byId = new HashMap<>();
        stored.forEach(row -> byId.put(row.id(), row));
        List<JobRow> inOrder = jobs.stream().map(job -> byId.get(job.id())).toList();
        outbox.publishAll(inOrder.stream().map(row -> statusChanged(row, null, now)).toList());
        inOrder.stream().filter(row -> row.status() == JobStatus.QUEUED).map(JobRow::type).distinct()
                .forEach(this::notifyWorkers);
        if (inOrder.stream().anyMatch(row -> row.status() == JobStatus.QUEUED)) {
            AfterCommit.run(transactions, wakeups::wake);
        }
        inOrder.stream().filter(row -> row.status() != JobStatus.QUEUED).map(JobRow::runAt).min(Instant::compareTo)
                .ifPresent(at -> AfterCommit.run(transactions, () -> wakeups.dueAt(at)));
        return inOrder;
    }

    private static JobStatus initialStatus(NewJob job, Instant now) {
        return job.runAt().isAfter(now) ? JobStatus.SCHEDULED : JobStatus.QUEUED;
    }

    /**
     * The job of {@code schedule}'s {@code tick}, unless one exists: the unique index on (schedule, tick)
     * makes a concurrent insert of the same tick by another replica wait for this one's transaction and then
     * insert nothing. Empty when the tick's job was made elsewhere (or before).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<JobRow> insertForTick(NewJob job, String schedule, Instant tick, Instant now) {
        Optional<JobRow> row = single(INSERT_FOR_TICK, s -> {
            bindNew(s, job, now);
            s.setString(12, schedule);
            Rows.set(s, 13, tick);
        });
        row.ifPresent(created -> inserted(created, now));
        return row;
    }

    /** The latest tick of {@code schedule} that made a job; empty when it never made one. */
    public Optional<Instant> latestTick(String schedule) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(LATEST_TICK)) {
            statement.setString(1, schedule);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return Optional.ofNullable(Rows.instant(rows, 1));
            }
        } catch (SQLException e) {
            throw new JobStoreException("could not read the latest tick of schedule " + schedule, e);
        }
    }

    private void bindNew(PreparedStatement s, NewJob job, Instant now) throws SQLException {
        s.setObject(1, job.id());
        s.setObject(2, job.userId());
        s.setObject(3, job.projectId());
        s.setString(4, job.type());
        s.setString(5, Rows.text(json, job.payload()));
        s.setString(6, initialStatus(job, now).name());
        s.setInt(7, job.priority());
        Rows.set(s, 8, job.runAt());
        s.setInt(9, job.maxAttempts());
        Rows.set(s, 10, now);
        Rows.set(s, 11, now);
    }

    private void inserted(JobRow row, Instant now) {
        changed(row, null, now);
        readyAt(row);
    }

    /** The caller's job, locked for a change; empty when there is none or it is someone else's. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<JobRow> lockOwned(UUID id, UUID userId) {
        return single(LOCK_OWNED, s -> {
            s.setObject(1, id);
            s.setObject(2, userId);
        });
    }

    /** A locked job to CANCELLED. */
    @Transactional(Transactional.TxType.MANDATORY)
    public JobRow cancel(JobRow locked, Instant now) {
        JobRow row = single(CANCEL, s -> {
            Rows.set(s, 1, now);
            Rows.set(s, 2, now);
            s.setObject(3, locked.id());
        }).orElseThrow();
        changed(row, locked.status(), now);
        return row;
    }

    /** A locked job back to QUEUED with its attempts reset (its error history is kept). */
    @Transactional(Transactional.TxType.MANDATORY)
    public JobRow requeue(JobRow locked, Instant now) {
        JobRow row = single(REQUEUE, s -> {
            Rows.set(s, 1, now);
            Rows.set(s, 2, now);
            s.setObject(3, locked.id());
        }).orElseThrow();
        changed(row, locked.status(), now);
        readyAt(row);
        return row;
    }

    /**
     * Takes up to {@code limit} due jobs of {@code type}, highest priority first, skipping rows other workers
     * hold: each becomes RUNNING under {@code owner}'s lease until {@code leaseUntil}, its attempt counted.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobRow> claim(String type, int limit, String owner, Instant now, Instant leaseUntil) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CLAIM)) {
            Rows.set(statement, 1, now);
            statement.setString(2, type);
            statement.setInt(3, limit);
            statement.setString(4, owner);
            Rows.set(statement, 5, leaseUntil);
            Rows.set(statement, 6, now);
            Rows.set(statement, 7, now);
            List<String> previous = new ArrayList<>();
            List<JobRow> claimed;
            try (ResultSet rows = statement.executeQuery()) {
                claimed = Rows.read(rows, json, previous);
            }
            List<JobStatusChanged> events = new ArrayList<>(claimed.size());
            for (int i = 0; i < claimed.size(); i++) {
                events.add(statusChanged(claimed.get(i), JobStatus.valueOf(previous.get(i)), now));
            }
            outbox.publishAll(events);
            return claimed;
        } catch (SQLException e) {
            throw new JobStoreException("could not claim jobs", e);
        }
    }

    /** Extends the leases {@code owner} still holds; returns the ids it still holds (others were taken back). */
    @Transactional
    public Set<UUID> renew(String owner, Collection<UUID> ids, Instant until) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(RENEW)) {
            Array array = connection.createArrayOf("uuid", ids.toArray());
            Rows.set(statement, 1, until);
            statement.setString(2, owner);
            statement.setArray(3, array);
            Set<UUID> held = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    held.add(rows.getObject(1, UUID.class));
                }
            }
            return held;
        } catch (SQLException e) {
            throw new JobStoreException("could not renew leases", e);
        }
    }

    /** Running jobs whose lease lapsed before {@code now} (their worker is gone), locked for this transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobRow> lockLapsed(Instant now, int limit) {
        return list(LAPSED, s -> {
            Rows.set(s, 1, now);
            s.setInt(2, limit);
        });
    }

    /**
     * Several RUNNING jobs of {@code owner} to SUCCEEDED in one statement, their events in one batch: the
     * worker records the successes that ended meanwhile together. Returns the jobs that were still
     * {@code owner}'s (the others were taken over; their outcome is dropped).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobRow> succeedAll(List<Success> successes, String owner, Instant now) {
        if (successes.isEmpty()) {
            return List.of();
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(SUCCEED_ALL)) {
            Rows.set(statement, 1, now);
            Rows.set(statement, 2, now);
            statement.setArray(3, connection.createArrayOf("uuid", successes.stream().map(success -> success.job().id()).toArray()));
            statement.setArray(4, connection.createArrayOf("text",
                    successes.stream().map(success -> Rows.text(json, success.result())).toArray()));
            statement.setString(5, owner);
            List<JobRow> done;
            try (ResultSet rows = statement.executeQuery()) {
                done = Rows.read(rows, json);
            }
            outbox.publishAll(done.stream().map(row -> statusChanged(row, JobStatus.RUNNING, now)).toList());
            return done;
        } catch (SQLException e) {
            throw new JobStoreException("could not record " + successes.size() + " successful attempts", e);
        }
    }

    /** A running job whose attempt succeeded, with what its handler returned (may be null). */
    public record Success(JobRow job, JsonNode result) {
    }

    /** RUNNING to RETRYING, due again at {@code retryAt}; the error joins the history. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<JobRow> retryLater(JobRow running, String owner, JobError error, Instant now) {
        Optional<JobRow> row = finishAttempt(running, owner, JobStatus.RETRYING, error, error.retryAt(), null, now);
        row.ifPresent(this::readyAt);
        return row;
    }

    /** RUNNING to FAILED (a permanent error). */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<JobRow> fail(JobRow running, String owner, JobError error, Instant now) {
        return finishAttempt(running, owner, JobStatus.FAILED, error, null, null, now);
    }

    /** RUNNING to DEAD, with a record of every attempt's error on {@code jobs.dead-letter}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<JobRow> bury(JobRow running, String owner, JobError error, Instant now) {
        Optional<JobRow> row = finishAttempt(running, owner, JobStatus.DEAD, error, null, null, now);
        row.ifPresent(dead -> outbox.publish(new JobDeadLettered(dead.id(), dead.userId(), dead.projectId(),
                dead.type(), dead.attempts(), dead.errors(), now)));
        return row;
    }

    /** Every job {@code owner} still runs back to the queue, its unfinished attempt not counted (at shutdown). */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobRow> handBack(String owner, Instant now) {
        List<JobRow> rows = list(HAND_BACK, s -> {
            Rows.set(s, 1, now);
            Rows.set(s, 2, now);
            s.setString(3, owner);
        });
        rows.forEach(row -> changed(row, JobStatus.RUNNING, now));
        return rows;
    }

    private Optional<JobRow> finishAttempt(JobRow running, String owner, JobStatus status, JobError error,
            Instant runAt, JsonNode result, Instant now) {
        Optional<JobRow> row = single(FINISH_ATTEMPT, s -> {
            s.setString(1, status.name());
            Rows.set(s, 2, runAt);
            s.setString(3, error == null ? null : error.error());
            s.setString(4, Rows.text(json, error == null ? List.of() : List.of(error)));
            s.setString(5, Rows.text(json, result));
            Rows.set(s, 6, JobStatus.FINISHED.contains(status) ? now : null);
            Rows.set(s, 7, now);
            s.setObject(8, running.id());
            s.setString(9, owner);
        });
        row.ifPresent(finished -> changed(finished, JobStatus.RUNNING, now));
        return row;
    }

    private void changed(JobRow row, JobStatus previous, Instant now) {
        outbox.publish(statusChanged(row, previous, now));
    }

    private static JobStatusChanged statusChanged(JobRow row, JobStatus previous, Instant now) {
        return new JobStatusChanged(row.id(), row.userId(), row.projectId(), row.type(), row.status().name(),
                previous == null ? null : previous.name(), row.attempts(), row.maxAttempts(), row.lastError(),
                JobStatus.RUNNABLE.contains(row.status()) ? row.runAt() : null, now);
    }

    /** Wakes the workers for a job that is due now (NOTIFY at commit), or tells the local one when it will be. */
    private void readyAt(JobRow row) {
        if (row.status() == JobStatus.QUEUED) {
            notifyWorkers(row.type());
            AfterCommit.run(transactions, wakeups::wake);
        } else {
            Instant at = row.runAt();
            AfterCommit.run(transactions, () -> wakeups.dueAt(at));
        }
    }

    /** NOTIFY in this transaction: PostgreSQL tells every listening worker at commit that {@code type} has work. */
    private void notifyWorkers(String type) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, CHANNEL);
            notify.setString(2, type);
            notify.execute();
        } catch (SQLException e) {
            throw new JobStoreException("could not notify workers", e);
        }
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private Optional<JobRow> single(String sql, Binder binder) {
        return list(sql, binder).stream().findFirst();
    }

    private List<JobRow> list(String sql, Binder binder) {
        // Agroal hands out the connection already enlisted in this transaction.
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            try (ResultSet rows = statement.executeQuery()) {
                return Rows.read(rows, json);
            }
        } catch (SQLException e) {
            throw new JobStoreException("job statement failed", e);
        }
    }
}
