package io.atelier.content.author;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.atelier.platform.users.ReplicatedUser;
import io.atelier.platform.users.UserDirectory;

/** Display names for authors, from the local users replica: one query per page, never a call to auth-service. */
@ApplicationScoped
public class Authors {

    private final UserDirectory users;

    Authors(UserDirectory users) {
        this.users = users;
    }

    public Author of(UUID id) {
        return new Author(id, users.find(id).map(ReplicatedUser::displayName).orElse(null));
    }

    public Map<UUID, Author> of(Collection<UUID> ids) {
        Set<UUID> distinct = new HashSet<>(ids);
        Map<UUID, ReplicatedUser> known = distinct.isEmpty() ? Map.of() : users.findAll(distinct);
        return distinct.stream().collect(Collectors.toMap(id -> id,
                id -> new Author(id, known.containsKey(id) ? known.get(id).displayName() : null)));
    }
}
