package dev.gnomon.worker;

import dev.gnomon.protocol.TaskResult;
import java.util.List;

/**
 * The code a task runs. A processor is registered on the worker under a name; a job names the
 * processor it wants. The worker calls {@link #process} on one of its task threads.
 *
 * <p>A processor should return promptly once {@link TaskContext#isCancelled()} turns true or its
 * thread is interrupted: that is how a stop request or a timeout reaches it.
 */
@FunctionalInterface
public interface Processor {

    /**
     * Runs one attempt of a task.
     *
     * @return the outcome; throwing counts as failure, with the exception's class and message
     * @throws Exception anything the work throws; the task fails with it
     */
    Result process(TaskContext ctx) throws Exception;

    /**
     * The post-step of a BROADCAST job that asks for one: runs once, on one worker, after every
     * worker's task ended. The default runs {@link #process} (where {@link TaskContext#results()}
     * holds the same results); override it to summarise, for example.
     *
     * @param results how each worker's task ended, ordered by task key
     * @return the outcome, which becomes the instance's result
     */
    default Result postBroadcast(TaskContext ctx, List<TaskResult> results) throws Exception {
        return process(ctx);
    }

    /**
     * The reduce step of a MAP_REDUCE job: runs once, on one worker, after the root and every
     * sub-task ended and succeeded. Iterate {@link TaskContext#subTaskResults()} to read each
     * sub-task's result once. The default runs {@link #process}.
     *
     * @return the outcome, which becomes the instance's result
     */
    default Result reduce(TaskContext ctx) throws Exception {
        return process(ctx);
    }
}
