package dev.gnomon.worker.task;

import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.TaskReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last report of recently ended attempts, so a repeated dispatch is answered instead of
 * run again. Bounded: the oldest are forgotten first.
 */
final class FinishedTasks {

    private final Map<TaskRef, TaskReport> reports;

    FinishedTasks(int capacity) {
        this.reports = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<TaskRef, TaskReport> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized void put(TaskRef ref, TaskReport report) {
        reports.put(ref, report);
    }

    synchronized TaskReport get(TaskRef ref) {
        return reports.get(ref);
    }
}
