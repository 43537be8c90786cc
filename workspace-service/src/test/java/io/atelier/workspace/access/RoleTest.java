package io.atelier.workspace.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

/** Plain JUnit: the one table of who may do what, also for the actions only the live workspace asks about. */
class RoleTest {

    @Test
    void ownersMayDoEverything() {
        assertThat(EnumSet.allOf(Action.class)).allMatch(Role.OWNER::can);
    }

    @Test
    void collaboratorsReadEditFilesAndMoveCursors() {
        assertThat(EnumSet.allOf(Action.class).stream().filter(Role.COLLABORATOR::can))
                .containsExactlyInAnyOrder(Action.READ, Action.FILE_CHANGE, Action.MOVE_CURSOR);
    }

    @Test
    void viewersReadAndMoveCursorsButChangeNoFile() {
        assertThat(EnumSet.allOf(Action.class).stream().filter(Role.VIEWER::can))
                .containsExactlyInAnyOrder(Action.READ, Action.MOVE_CURSOR);
        assertThat(Role.VIEWER.can(Action.FILE_CHANGE)).isFalse();
    }

    @Test
    void allowedToNamesEveryRoleThatMayAndNoOther() {
        assertThat(Role.allowedTo(Action.FILE_CHANGE)).containsExactlyInAnyOrder(Role.OWNER, Role.COLLABORATOR);
        assertThat(Role.allowedTo(Action.MOVE_CURSOR)).containsExactlyInAnyOrder(Role.values());
        assertThat(Role.allowedTo(Action.DELETE_PROJECT)).containsExactly(Role.OWNER);
    }
}
