package io.atelier.content.post;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class PostRepository implements PanacheRepositoryBase<Post, UUID> {
}
