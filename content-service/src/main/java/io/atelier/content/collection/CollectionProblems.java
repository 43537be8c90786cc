package io.atelier.content.collection;

import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

final class CollectionProblems {

    private CollectionProblems() {
    }

    /** 404 for a collection that does not exist and for one the caller does not own alike: it is private. */
    static final class NoSuchCollection extends ProblemException {
        NoSuchCollection() {
            super(ProblemType.http(404), "There is no such collection.");
        }
    }

    static final class NotInCollection extends ProblemException {
        NotInCollection() {
            super(ProblemType.http(404), "This post is not in the collection.");
        }
    }
}
