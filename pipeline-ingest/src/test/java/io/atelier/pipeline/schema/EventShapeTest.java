package io.atelier.pipeline.schema;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Plain JUnit: canonical field names, and the event that needs none renamed is not copied. */
class EventShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void anEventAlreadyInSnakeCaseIsReturnedAsItIs() throws Exception {
        ObjectNode event = json("{'event_id':'x','data':{'session_id':'s','deep':{'camelCase':1}},'metadata':{'version':'1.0'}}");

        EventShape.Result result = EventShape.canonical(event);

        assertThat(result.event()).isSameAs(event);
        assertThat(result.errors()).isEmpty();
    }

    @Test
    void oneCamelCaseNameAnywhereItLooksMakesACanonicalCopy() throws Exception {
        for (String text : new String[] {"{'eventId':'x','data':{},'metadata':{}}", "{'event_id':'x','data':{'sessionId':'s'}}",
                "{'event_id':'x','metadata':{'Version':'1.0'}}"}) {
            ObjectNode event = json(text);

            EventShape.Result result = EventShape.canonical(event);

            assertThat(result.event()).as(text).isNotSameAs(event);
            assertThat(result.event().toString()).as(text).doesNotContainPattern("\"[a-z_]*[A-Z]");
        }
    }

    @Test
    void namesInsideDataFieldsStayAsSent() throws Exception {
        ObjectNode event = json("{'eventId':'x','data':{'sessionId':'s','deep':{'camelCase':1}}}");

        assertThat(EventShape.canonical(event).event().path("data").path("deep").has("camelCase")).isTrue();
    }

    @Test
    void snakeLeavesSnakeCaseAndNonAsciiAlone() {
        assertThat(EventShape.snake("session_id")).isEqualTo("session_id");
        assertThat(EventShape.snake("sessionId")).isEqualTo("session_id");
        assertThat(EventShape.snake("Éclair")).isEqualTo("Éclair");
        assertThat(EventShape.snake("already_Upper")).isEqualTo("already_upper");
    }
}
