package io.atelier.workspace.access;

import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** Who may see and do what in a project. */
public final class AccessProblems {

    public static final ProblemType ROLE_FORBIDS = ProblemType.of("role-forbids", 403, "Your role does not allow this");

    private AccessProblems() {
    }

    /** 404 for a project that does not exist and for one the caller is no member of alike. */
    public static final class NoSuchProject extends ProblemException {
        public NoSuchProject() {
            super(ProblemType.http(404), "There is no such project.");
        }
    }

    /** 403: the caller is a member (so may know the project exists) but their role does not allow this. */
    public static final class RoleForbids extends ProblemException {
        public RoleForbids(Role role, Action action) {
            super(ROLE_FORBIDS, "A " + role + " may not " + describe(action) + " in this project.");
        }

        private static String describe(Action action) {
            return switch (action) {
                case READ -> "read";
                case UPDATE_PROJECT -> "change the project";
                case DELETE_PROJECT -> "delete the project";
                case MANAGE_MEMBERS -> "manage members";
                case FILE_CHANGE -> "change files";
                case MOVE_CURSOR -> "move a cursor";
            };
        }
    }
}
