package io.atelier.content.post;

import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** What can go wrong with a post that a client may act on. */
public final class PostProblems {

    public static final ProblemType NOT_AUTHOR = ProblemType.of("not-author", 403, "Not the author");

    private PostProblems() {
    }

    /** 404: no such post (also a malformed id). */
    public static final class NoSuchPost extends ProblemException {
        public NoSuchPost() {
            super(ProblemType.http(404), "There is no such post.");
        }
    }

    /** 403: posts are public, so hiding one behind a 404 would be a lie; only its author changes it. */
    public static final class NotAuthor extends ProblemException {
        public NotAuthor() {
            super(NOT_AUTHOR, "Only the author may change or delete this post.");
        }
    }
}
