package io.atelier.workspace.access;

import java.util.EnumSet;
import java.util.Set;

/**
 * A member's role in a project: the one place that says who may do what (docs/workspace.md, "Roles").
 * A project always has at least one OWNER.
 */
public enum Role {
    /** Everything, including members and deletion. */
    OWNER(EnumSet.allOf(Action.class)),
    /** Reads and edits files, moves cursors. */
    COLLABORATOR(EnumSet.of(Action.READ, Action.FILE_CHANGE, Action.MOVE_CURSOR)),
    /** Reads and moves cursors; changes no file. */
    VIEWER(EnumSet.of(Action.READ, Action.MOVE_CURSOR));

    private final Set<Action> allowed;

    Role(Set<Action> allowed) {
        this.allowed = allowed;
    }

    public boolean can(Action action) {
        return allowed.contains(action);
    }

    /** The roles that may do {@code action}. */
    public static Set<Role> allowedTo(Action action) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Role role : values()) {
            if (role.can(action)) {
                roles.add(role);
            }
        }
        return roles;
    }
}
