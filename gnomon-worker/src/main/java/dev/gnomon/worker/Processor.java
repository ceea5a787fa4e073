package dev.gnomon.worker;

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
}
