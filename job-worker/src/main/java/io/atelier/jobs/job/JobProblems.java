package io.atelier.jobs.job;

import java.util.List;

import io.atelier.jobs.store.JobStatus;
import io.atelier.platform.web.Problem;
import io.atelier.platform.web.ProblemException;
import io.atelier.platform.web.ProblemType;

/** What can go wrong with a job that a client may act on (docs/problems.md). */
public final class JobProblems {

    public static final ProblemType NOT_CANCELLABLE = ProblemType.of("job-not-cancellable", 409, "Job cannot be cancelled");
    public static final ProblemType NOT_RETRYABLE = ProblemType.of("job-not-retryable", 409, "Job cannot be retried");

    private JobProblems() {
    }

    /** One line for a log or a start-up failure: the detail and each field error (never a value). */
    public static String describe(ProblemException problem) {
        StringBuilder line = new StringBuilder(problem.type().status() + " " + problem.getMessage());
        if (problem.errors() != null && problem.errors().size() > 1) {
            problem.errors().forEach(e -> line.append(" [").append(e.field()).append(": ").append(e.message()).append(']'));
        }
        return line.toString();
    }

    /** 404 for a job that does not exist and for someone else's alike. */
    public static final class NoSuchJob extends ProblemException {
        public NoSuchJob() {
            super(ProblemType.http(404), "There is no such job.");
        }
    }

    public static final class NotCancellable extends ProblemException {
        public NotCancellable(JobStatus status) {
            super(NOT_CANCELLABLE, "The job is " + status + "; only a job waiting to run (QUEUED, SCHEDULED or RETRYING)"
                    + " can be cancelled.");
        }
    }

    public static final class NotRetryable extends ProblemException {
        public NotRetryable(JobStatus status) {
            super(NOT_RETRYABLE, "The job is " + status + "; only a DEAD or FAILED job can be retried.");
        }
    }

    /** 413: the payload alone is over the limit (the whole body has a limit of its own). */
    public static final class PayloadTooLarge extends ProblemException {
        public PayloadTooLarge(int maxBytes) {
            super(ProblemType.http(413), "The payload is larger than " + maxBytes + " bytes of JSON.");
        }

        /** In a batch: which job's payload. */
        public PayloadTooLarge(int maxBytes, String field) {
            super(ProblemType.http(413), "The payload of " + field.replace(".payload", "") + " is larger than " + maxBytes
                    + " bytes of JSON.");
            withErrors(List.of(new Problem.FieldError(field, "is larger than " + maxBytes + " bytes of JSON")));
        }
    }

    /** 400 naming each field that breaks a rule. */
    public static final class Invalid extends ProblemException {
        public Invalid(List<Problem.FieldError> errors) {
            super(ProblemType.VALIDATION, errors.size() == 1 ? "Field '" + errors.get(0).field() + "' "
                    + errors.get(0).message() + "." : "The request breaks " + errors.size() + " rules.");
            withErrors(errors);
        }

        public Invalid(String field, String message) {
            this(List.of(new Problem.FieldError(field, message)));
        }
    }
}
