package io.atelier.workspace.member;

import java.util.List;

import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** What can go wrong with a project's members that a client may act on. */
public final class MemberProblems {

    public static final ProblemType LAST_OWNER = ProblemType.of("last-owner", 409, "A project needs an owner");
    public static final ProblemType ALREADY_MEMBER = ProblemType.of("already-member", 409, "Already a member");
    public static final ProblemType UNKNOWN_USER = ProblemType.of("unknown-user", 404, "No such user");

    private MemberProblems() {
    }

    /** 409: the project's only OWNER may neither leave nor stop being an OWNER; make another OWNER first. */
    public static final class LastOwner extends ProblemException {
        public LastOwner() {
            super(LAST_OWNER, "This is the project's last OWNER: make another member an OWNER first.");
        }
    }

    public static final class AlreadyMember extends ProblemException {
        public AlreadyMember() {
            super(ALREADY_MEMBER, "This user is a member of the project already; change their role instead.");
        }
    }

    /** 404 with its own type, so a client tells "no such user" from "no such project". */
    public static final class UnknownUser extends ProblemException {
        public UnknownUser() {
            super(UNKNOWN_USER, "There is no user with this email or id.");
        }
    }

    public static final class NotAMember extends ProblemException {
        public NotAMember() {
            super(ProblemType.http(404), "This user is not a member of the project.");
        }
    }

    /** 400: an invitation names its invitee by exactly one of email and userId. */
    public static final class InviteeRequired extends ProblemException {
        public InviteeRequired() {
            super(ProblemType.VALIDATION, "Give exactly one of email and userId.");
            withErrors(List.of(new Problem.FieldError("email", "give exactly one of email and userId"),
                    new Problem.FieldError("userId", "give exactly one of email and userId")));
        }
    }
}
