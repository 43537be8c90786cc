package io.atelier.platform.testing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Reading the CloudEvents attributes (binary mode: {@code ce_*} headers) of a consumed record in tests. */
public final class CloudEventRecords {

    private CloudEventRecords() {
    }

    /** A header's value as text, e.g. {@code header(record, "ce_type")}; null when absent. */
    public static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
