package io.atelier.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Creates a client may retry (docs/architecture.md, "HTTP conventions"). With an {@code Idempotency-Key}
 * the create runs at most once per caller, operation and key: its answer is stored in the create's own
 * transaction, and every repeat of the same request within the retention gets that answer again (with
 * {@code Idempotent-Replayed: true}), also while the first is still running (the repeat waits for it).
 * The same key with a different request is a 422. A create that fails stores nothing, so a retry after
 * a failure runs again. Without a key the create simply runs.
 *
 * <pre>
 * return idempotent.create("posts.create:" + caller.id(), IdempotencyKey.of(keyHeader), input,
 *         () -> Response.created(...).entity(posts.create(caller.id(), input)).build());
 * </pre>
 */
@ApplicationScoped
public class IdempotentCreates {

    public static final String REPLAYED = "Idempotent-Replayed";

    private final IdempotencyStore store;
    private final ObjectMapper json;

    IdempotentCreates(IdempotencyStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    /**
     * @param scope who and what: the caller and the operation, so keys of different callers never meet
     * @param key the validated header value ({@link IdempotencyKey#of}); null runs the create unguarded
     * @param request what identifies the request (its body): a repeat must be equal to it
     * @param create the create, answering a response with a JSON entity; it joins this transaction
     */
    public Response create(String scope, String key, Object request, Supplier<Response> create) {
        if (key == null) {
            return create.get();
        }
        String fingerprint = fingerprint(request);
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<StoredAnswer> stored = store.claim(scope, key, fingerprint);
            if (stored.isPresent()) {
                return replay(stored.get(), fingerprint);
            }
            Response answer = create.get();
            store.complete(scope, key, answer.getStatus(), body(answer.getEntity()),
                    answer.getLocation() == null ? null : answer.getLocation().toString());
            return answer;
        });
    }

    private static Response replay(StoredAnswer stored, String fingerprint) {
        if (!stored.fingerprint().equals(fingerprint)) {
            throw new KeyReused();
        }
        Response.ResponseBuilder answer = Response.status(stored.status()).header(REPLAYED, "true");
        if (stored.body() != null) {
            answer.entity(stored.body()).type(MediaType.APPLICATION_JSON_TYPE);
        }
        if (stored.location() != null) {
            answer.header(HttpHeaders.LOCATION, stored.location());
        }
        return answer.build();
    }

    private String body(Object entity) {
        if (entity == null) {
            return null;
        }
        try {
            return json.writeValueAsString(entity);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an idempotent answer must be JSON", e);
        }
    }

    private String fingerprint(Object request) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    json.writeValueAsString(request).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot fingerprint the request", e);
        }
    }
}
