package io.atelier.workspace.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Plain JUnit: a frame numbered through its template is the frame rendered with that number. */
class FramesTest {

    final ObjectMapper json = new ObjectMapper();
    final Frames frames = new Frames(json);
    final UUID project = UUID.randomUUID();
    final UUID user = UUID.randomUUID();
    final Instant at = Instant.parse("2026-12-07T13:00:00.123456Z");

    @Test
    void aTemplateNumberedIsTheFrameRenderedWithThatNumber() {
        ObjectNode data = json.createObjectNode().put("path", "README.md").put("change", "hello");
        Frames.Template template = frames.template(MessageType.FILE_CHANGE, project, user, at, data);

        for (long seq : new long[] {1, 42, 1_000_000_007L, Long.MAX_VALUE}) {
            assertThat(template.with(seq)).isEqualTo(frames.render(MessageType.FILE_CHANGE, project, user, seq, at, data));
        }
    }

    @Test
    void dataThatLooksLikeTheMarkDoesNotMoveTheNumber() {
        ObjectNode data = json.createObjectNode().put("change", "\"seq\":" + Long.MIN_VALUE);
        data.set("nested", json.createObjectNode().put("seq", Long.MIN_VALUE));
        Frames.Template template = frames.template(MessageType.FILE_CHANGE, project, user, at, data);

        assertThat(template.with(7)).isEqualTo(frames.render(MessageType.FILE_CHANGE, project, user, 7, at, data));
    }

    @Test
    void aMessageWithoutUserOrDataIsNumberedToo() throws Exception {
        Frames.Template template = frames.template(MessageType.USER_LEAVE, project, null, at, null);

        assertThat(json.readTree(template.with(3)).get("seq").asLong()).isEqualTo(3);
        assertThat(template.with(3)).isEqualTo(frames.render(MessageType.USER_LEAVE, project, null, 3, at, null));
    }
}
