package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.atelier.workspace.config.LiveConfig;

/** Plain JUnit: what a client may send, and the reason each refusal gives. */
class ClientMessageTest {

    static final LiveConfig.Messages LIMITS = new LiveConfig.Messages() {
        public int perSecond() { return 100; }
        public int maxBytes() { return 65536; }
        public int cursorsPerSecond() { return 20; }
        public int maxPathLength() { return 16; }
        public int maxChangeBytes() { return 32; }
        public int recentFiles() { return 50; }
    };
    final ObjectMapper json = new ObjectMapper();

    @Test
    void readsAFileChange() throws Exception {
        ClientMessage message = ClientMessage.read("{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"src/a.txt\",\"change\":{\"insert\":\"x\"}}}", json, LIMITS);
        assertThat(message).isEqualTo(new ClientMessage.FileChange("src/a.txt", json.readTree("{\"insert\":\"x\"}")));
    }

    @Test
    void aCursorKeepsOnlyPathLineAndColumn() throws Exception {
        ClientMessage message = ClientMessage.read("{\"type\":\"CURSOR_UPDATE\",\"data\":{\"path\":\"a\",\"line\":3,\"column\":7,\"extra\":\"no\"}}", json, LIMITS);
        assertThat(((ClientMessage.CursorUpdate) message).cursor().toString()).isEqualTo("{\"path\":\"a\",\"line\":3,\"column\":7}");
    }

    @Test
    void readsAPing() throws Exception {
        assertThat(ClientMessage.read("{\"type\":\"PING\"}", json, LIMITS)).isInstanceOf(ClientMessage.Ping.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "not json                                                                  | not JSON",
            "[1,2]                                                                     | a message is",
            "{\"data\":{}}                                                             | a message is",
            "{\"type\":\"DELETE_EVERYTHING\"}                                          | type: one of",
            "{\"type\":\"FILE_CHANGE\"}                                                | data: an object",
            "{\"type\":\"FILE_CHANGE\",\"data\":{\"change\":1}}                        | data.path: required",
            "{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\" \",\"change\":1}}         | data.path: required",
            "{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"aaaaaaaaaaaaaaaaa\",\"change\":1}} | data.path: at most 16",
            "{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"a\\u0000b\",\"change\":1}} | data.path: no control",
            "{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"a\"}}                      | data.change: required",
            "{\"type\":\"FILE_CHANGE\",\"data\":{\"path\":\"a\",\"change\":\"0123456789012345678901234567890123\"}} | data.change: at most 32",
            "{\"type\":\"CURSOR_UPDATE\",\"data\":{\"path\":\"a\",\"line\":-1,\"column\":0}} | data.line: a whole number",
            "{\"type\":\"CURSOR_UPDATE\",\"data\":{\"path\":\"a\",\"line\":1.5,\"column\":0}} | data.line: a whole number",
            "{\"type\":\"CURSOR_UPDATE\",\"data\":{\"path\":\"a\",\"line\":1}}         | data.column: a whole number",
            "{\"type\":\"CURSOR_UPDATE\",\"data\":{\"path\":\"a\",\"line\":1,\"column\":99999999999}} | data.column: a whole number",
    })
    void refusesWithAReason(String text, String reason) {
        assertThatThrownBy(() -> ClientMessage.read(text, json, LIMITS))
                .isInstanceOf(ClientMessage.Invalid.class).hasMessageContaining(reason);
    }
}
