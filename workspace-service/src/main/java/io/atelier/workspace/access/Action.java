package io.atelier.workspace.access;

/** What a member may try to do in a project; {@link Role#can(Action)} says who may. */
public enum Action {
    /** See the project, its members and its workspace. */
    READ,
    /** Rename it or change its description. */
    UPDATE_PROJECT,
    DELETE_PROJECT,
    /** Invite, change roles, remove others (leaving is every member's right, not an action). */
    MANAGE_MEMBERS,
    /** Change files in the live workspace. */
    FILE_CHANGE,
    /** Move one's own cursor in the live workspace (presence). */
    MOVE_CURSOR
}
