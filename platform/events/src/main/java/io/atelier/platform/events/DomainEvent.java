package io.atelier.platform.events;

/**
 * An event payload that knows where it goes. Implemented by the payload records of this module;
 * the record's components are the JSON body, these methods become the CloudEvents attributes
 * ({@code ce_type}, {@code ce_subject}) and the Kafka record key.
 */
public interface DomainEvent {

    /** Topic constant from {@link Topics}. */
    String topic();

    /** CloudEvents type, {@code <service>.<aggregate>.<past-tense verb>}, e.g. {@code auth.user.created}. */
    String eventType();

    /** Aggregate id: the CloudEvents subject and the record key, so one aggregate's events stay in order. */
    String subject();
}
