package io.atelier.platform.web;

import java.util.List;

/**
 * One page of a list (docs/architecture.md, "HTTP conventions"): the items and the cursor of the next
 * page, null on the last one. A client passes {@code nextCursor} back as {@code ?cursor=} unchanged.
 */
public record Page<T>(List<T> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }
}
