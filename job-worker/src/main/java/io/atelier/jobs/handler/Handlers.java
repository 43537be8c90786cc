package io.atelier.jobs.handler;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

/** Every {@link JobHandler} bean, by its type. Two handlers of one type, or a malformed type, stop the start. */
@ApplicationScoped
public class Handlers {

    private static final Pattern TYPE = Pattern.compile("[a-z0-9]+([.-][a-z0-9]+)*");

    private final Map<String, JobHandler> byType = new TreeMap<>();

    Handlers(Instance<JobHandler> handlers) {
        for (JobHandler handler : handlers) {
            String type = handler.type();
            if (type == null || type.length() > 100 || !TYPE.matcher(type).matches()) {
                throw new IllegalStateException("job handler " + handler.getClass().getName() + " has a malformed type: " + type);
            }
            JobHandler other = byType.put(type, handler);
            if (other != null) {
                throw new IllegalStateException("two job handlers of type " + type + ": " + other.getClass().getName()
                        + " and " + handler.getClass().getName());
            }
        }
    }

    public Optional<JobHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The known types, sorted. */
    public Set<String> types() {
        return byType.keySet();
    }
}
