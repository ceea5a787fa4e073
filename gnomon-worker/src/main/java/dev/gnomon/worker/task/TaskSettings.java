package dev.gnomon.worker.task;

import dev.gnomon.worker.Processor;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the runner needs to know about its worker.
 *
 * @param workerId     this worker's id, for messages
 * @param maxTasks     tasks run at once
 * @param shellEnabled whether the built-in shell processor may run
 * @param processors   processors by name, the shell one included when it is enabled
 */
public record TaskSettings(String workerId, int maxTasks, boolean shellEnabled, Map<String, Processor> processors) {

    /** The name of the built-in shell processor. */
    public static final String SHELL = "shell";

    public TaskSettings {
        processors = Map.copyOf(processors);
    }

    Processor processor(String name) {
        return processors.get(name);
    }

    /** Why this worker cannot run the named processor, or null when it can. */
    String unknownProcessor(String name) {
        if (SHELL.equals(name) && !shellEnabled) {
            return "processor 'shell' is not enabled on worker " + workerId + "; start the worker with --enable-shell";
        }
        if (name == null || !processors.containsKey(name)) {
            String has = processors.isEmpty() ? "(none)" : String.join(", ", new TreeSet<>(processors.keySet()));
            return "no processor named '" + name + "' on this worker; it has: " + has;
        }
        return null;
    }
}
