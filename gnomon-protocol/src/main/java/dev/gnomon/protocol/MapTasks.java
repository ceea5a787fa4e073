package dev.gnomon.protocol;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sub-tasks a running task emits (map and map-reduce jobs), sent by the worker until the server
 * answers with a {@link MapAccepted}. The server keeps a batch by (instance, emitting task key, seq):
 * a resent batch is the same batch, and so is batch {@code seq} of a later attempt of the same
 * task (a re-run after its worker was lost); the server makes its sub-tasks once.
 *
 * @param taskId     the task that emits them
 * @param attempt    its attempt
 * @param seq        batch number within the attempt, from 1
 * @param name       the sub-task group; sub-task keys are {@code <name>-<t>-<index>}, {@code t} the id
 *                   of the emitting task's first attempt
 * @param firstIndex the index of the first item among every item this attempt emitted
 * @param items      one parameter per sub-task
 */
public record MapTasks(long taskId, int attempt, long seq, String name, long firstIndex, List<String> items)
    implements Message {

    /** A group name: its keys stay apart from the keys of roots, shards, broadcast tasks and reduce steps. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    public static final Set<String> RESERVED = Set.of("root", "shard", "worker", "post", "reduce");

    private static final Pattern SUB_TASK_KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}-[0-9]+-[0-9]+");

    public MapTasks {
        items = List.copyOf(items);
    }

    /** Whether a task key is that of an emitted sub-task, {@code <name>-<parentFirstAttemptId>-<i>}. */
    public static boolean isSubTaskKey(String key) {
        return SUB_TASK_KEY.matcher(key).matches() && !key.startsWith("worker-");
    }

    /** Why a group name cannot be used; null when it can. */
    public static String badName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "sub-task name '" + name + "' is not valid; use 1-64 letters, digits or '_', starting with a letter";
        }
        return RESERVED.contains(name) ? "sub-task name '" + name + "' is reserved; choose another than " + RESERVED
            : null;
    }

    public TaskRef ref() {
        return new TaskRef(taskId, attempt);
    }
}
