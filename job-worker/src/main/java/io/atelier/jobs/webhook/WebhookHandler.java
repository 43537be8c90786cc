package io.atelier.jobs.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.atelier.jobs.config.JobsConfig;
import io.atelier.jobs.handler.InvalidPayload;
import io.atelier.jobs.handler.JobContext;
import io.atelier.jobs.handler.JobHandler;
import io.atelier.jobs.handler.PermanentJobFailure;

/**
 * {@code webhook.deliver}: POSTs {@code payload.body} as JSON to {@code payload.url}, signed (see
 * {@link Signature}), with the job id as {@code Idempotency-Key} so a receiver can drop a repeat. A 2xx ends
 * the job; 408, 429, 5xx, a timeout or a connection failure are retried; any other answer is permanent. The
 * target must pass {@link Targets} at submit (form, address literals) and again before each attempt (every
 * address its name resolves to). Redirects are not followed: a redirect could lead anywhere.
 */
@ApplicationScoped
public class WebhookHandler implements JobHandler {

    public static final String TYPE = "webhook.deliver";
    public static final String DELIVERY_HEADER = "X-Atelier-Delivery";

    private final JobsConfig.Webhook config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Targets targets;
    private final Optional<byte[]> secret;
    private final HttpClient http;

    WebhookHandler(JobsConfig config, ObjectMapper json, Clock clock) {
        this.config = config.webhook();
        this.json = json;
        this.clock = clock;
        this.targets = new Targets(this.config.allowedNetworks().orElse(List.of()), InetAddress::getAllByName);
        this.secret = secret(this.config);
        this.http = HttpClient.newBuilder().connectTimeout(this.config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public void vet(JsonNode payload) {
        try {
            targets.checkForm(payload.path("url").asText());
        } catch (Targets.TargetRefused e) {
            throw new InvalidPayload("payload.url", e.getMessage());
        }
    }

    @Override
    public JsonNode run(JobContext job) throws IOException, InterruptedException {
        byte[] key = secret.orElseThrow(() -> new PermanentJobFailure(
                "no webhook signing secret is configured (atelier.jobs.webhook.secret or secret-file)"));
        String url = job.payload().path("url").asText();
        URI target;
        try {
            target = targets.check(url);
        } catch (Targets.TargetRefused e) {
            throw new PermanentJobFailure("webhook target refused: url " + e.getMessage());
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve the webhook's host: " + e.getMessage(), e); // DNS may recover
        }
        byte[] body = body(job.payload().path("body"));
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(config.readTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "atelier-job-worker")
                .header("Idempotency-Key", job.idempotencyKey())
                .header(DELIVERY_HEADER, job.id() + ";attempt=" + job.attempt())
                .header(Signature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(Signature.SIGNATURE_HEADER, Signature.sign(key, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long began = System.nanoTime();
        HttpResponse<Void> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (HttpTimeoutException e) {
            throw new IOException("the receiver did not answer within " + config.readTimeout().toMillis() + " ms", e);
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("status", status);
            result.put("durationMs", (System.nanoTime() - began) / 1_000_000);
            return result;
        }
        if (status == 408 || status == 429 || status >= 500) {
            throw new IOException("the receiver answered " + status);
        }
        throw new PermanentJobFailure("the receiver answered " + status);
    }

    private byte[] body(JsonNode body) {
        try {
            return json.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored payload is not serialisable", e);
        }
    }

    private static Optional<byte[]> secret(JobsConfig.Webhook config) {
        if (config.secret().isPresent() && !config.secret().get().isBlank()) {
            return Optional.of(config.secret().get().getBytes(StandardCharsets.UTF_8));
        }
        return config.secretFile().filter(Files::isReadable).map(file -> {
            try {
                return Files.readString(file).strip().getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the webhook secret " + file, e);
            }
        }).filter(bytes -> bytes.length > 0);
    }
}
