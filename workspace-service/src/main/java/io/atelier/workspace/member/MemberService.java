package io.atelier.workspace.member;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.transaction.Transactional;

import io.atelier.platform.events.workspace.MemberAdded;
import io.atelier.platform.events.workspace.MemberRemoved;
import io.atelier.platform.events.workspace.MemberRoleChanged;
import io.atelier.platform.outbox.Outbox;
import io.atelier.platform.ratelimit.Decision;
import io.atelier.platform.ratelimit.RateLimit;
import io.atelier.platform.ratelimit.RateLimitExceeded;
import io.atelier.platform.ratelimit.RateLimiter;
import io.atelier.platform.users.ReplicatedUser;
import io.atelier.platform.users.UserDirectory;
import io.atelier.platform.web.Page;
import io.atelier.platform.web.PageCursor;
import io.atelier.workspace.access.Action;
import io.atelier.workspace.access.Membership;
import io.atelier.workspace.access.MembershipRepository;
import io.atelier.workspace.access.ProjectAccess;
import io.atelier.workspace.access.Role;
import io.atelier.workspace.cache.WorkspaceCache;
import io.atelier.workspace.config.WorkspaceConfig;

/**
 * A project's members. Any member lists them; OWNERs invite, change roles and remove; every member may
 * leave. Each change locks the project's row first ({@link ProjectAccess#lockForChange}), so changes to one
 * project's members are serialised and the last OWNER can never be removed or demoted, not even by two
 * OWNERs demoting each other at once. Each change is an event and drops the affected user's cached list
 * and the project's cached membership once committed.
 */
@ApplicationScoped
public class MemberService {

    private final MembershipRepository memberships;
    private final MemberReads reads;
    private final ProjectAccess access;
    private final UserDirectory users;
    private final RateLimiter limiter;
    private final RateLimit invites;
    private final WorkspaceCache cache;
    private final Outbox outbox;
    private final Clock clock;
    private final Event<MemberRemoved> removals;

    MemberService(MembershipRepository memberships, MemberReads reads, ProjectAccess access, UserDirectory users,
            RateLimiter limiter, WorkspaceConfig config, WorkspaceCache cache, Outbox outbox, Clock clock,
            Event<MemberRemoved> removals) {
        this.memberships = memberships;
        this.removals = removals;
        this.reads = reads;
        this.access = access;
        this.users = users;
        this.limiter = limiter;
        this.invites = RateLimit.of("invites", config.invites().limit(), config.invites().period());
        this.cache = cache;
        this.outbox = outbox;
        this.clock = clock;
    }

    /** Members, most recently joined first; 404 for a non-member. */
    public Page<MemberView> list(UUID callerId, UUID projectId, PageCursor cursor, int limit) {
        access.require(projectId, callerId, Action.READ);
        List<MemberView> rows = reads.page(projectId, cursor, limit + 1);
        List<MemberView> page = rows.size() > limit ? rows.subList(0, limit) : rows;
        String next = rows.size() > limit ? new PageCursor(page.getLast().joinedAt(), page.getLast().userId()).encode() : null;
        return new Page<>(page, next);
    }

    /**
     * Adds a user known to the users replica (by email or id). Every attempt counts against the inviter's
     * limit, also the refused ones: invitations by email must not become a way to probe which addresses
     * have accounts.
     */
    @Transactional
    public MemberView invite(UUID callerId, UUID projectId, InviteInput input) {
        if ((input.email() == null) == (input.userId() == null)) {
            throw new MemberProblems.InviteeRequired();
        }
        // Before any database work (a JTA transaction takes its connection at the first statement).
        Decision attempt = limiter.acquire(invites, callerId.toString());
        if (!attempt.allowed()) {
            throw new RateLimitExceeded("Too many invitations; try again later.", attempt);
        }
        access.lockForChange(projectId, callerId, Action.MANAGE_MEMBERS);
        Optional<ReplicatedUser> found = input.email() != null ? users.findByEmail(input.email()) : users.find(input.userId());
        ReplicatedUser user = found.orElseThrow(MemberProblems.UnknownUser::new);
        if (memberships.find(projectId, user.id()).isPresent()) {
            throw new MemberProblems.AlreadyMember();
        }
        Membership member = new Membership();
        member.projectId = projectId;
        member.userId = user.id();
        member.role = input.role();
        member.joinedAt = now();
        memberships.persist(member);
        outbox.publish(new MemberAdded(projectId, user.id(), member.role.name(), callerId, member.joinedAt));
        cache.invalidateAfterCommit(List.of(user.id()), projectId);
        return new MemberView(user.id(), user.displayName(), user.email(), member.role, member.joinedAt);
    }

    /** OWNER only. Setting the role a member has already changes nothing and records no event. */
    @Transactional
    public MemberView changeRole(UUID callerId, UUID projectId, UUID userId, Role role) {
        access.lockForChange(projectId, callerId, Action.MANAGE_MEMBERS);
        Membership member = memberships.find(projectId, userId).orElseThrow(MemberProblems.NotAMember::new);
        Role previous = member.role;
        if (previous != role) {
            if (previous == Role.OWNER && memberships.owners(projectId) == 1) {
                throw new MemberProblems.LastOwner();
            }
            member.role = role;
            outbox.publish(new MemberRoleChanged(projectId, userId, role.name(), previous.name(), callerId, now()));
            cache.invalidateAfterCommit(List.of(userId), projectId);
        }
        Optional<ReplicatedUser> user = users.find(userId);
        return new MemberView(userId, user.map(ReplicatedUser::displayName).orElse(null),
                user.map(ReplicatedUser::email).orElse(null), member.role, member.joinedAt);
    }

    /** An OWNER removes anyone; any member removes themself (leaves). Never the last OWNER. */
    @Transactional
    public void remove(UUID callerId, UUID projectId, UUID userId) {
        boolean leaving = callerId.equals(userId);
        access.lockForChange(projectId, callerId, leaving ? null : Action.MANAGE_MEMBERS);
        Membership member = memberships.find(projectId, userId).orElseThrow(MemberProblems.NotAMember::new);
        if (member.role == Role.OWNER && memberships.owners(projectId) == 1) {
            throw new MemberProblems.LastOwner();
        }
        memberships.delete(member);
        MemberRemoved removed = new MemberRemoved(projectId, userId, callerId, now());
        outbox.publish(removed);
        cache.invalidateAfterCommit(List.of(userId), projectId);
        removals.fire(removed); // the live workspace closes their sockets once this commits
    }

    private Instant now() {
        return PageCursor.truncate(clock.instant());
    }
}
