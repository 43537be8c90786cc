package io.atelier.pipeline.analytics;

import java.time.Duration;

import io.atelier.platform.web.AtelierHeaders;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** The query API's own problem (docs/problems.md). */
final class AnalyticsProblems {

    static final ProblemType QUERY_TIMEOUT = ProblemType.of("query-timeout", 503, "Query took too long");

    private AnalyticsProblems() {
    }

    /** 503: cancelled after its budget; the same query is unlikely to pass at once, a narrower one may. */
    static final class QueryTimeout extends ProblemException {
        QueryTimeout(Duration budget) {
            super(QUERY_TIMEOUT, "The query ran longer than " + budget.toSeconds() + " s and was cancelled; "
                    + "a shorter range or a coarser interval answers sooner.");
            withHeader(AtelierHeaders.RETRY_AFTER, "30");
        }
    }
}
