package dev.gnomon.protocol;

/**
 * A reduce step asks for the next page of its instance's sub-task results: those of tasks with
 * an id above {@code afterId}, by id. The server answers with a {@link ResultsPage}; asking again
 * for the same page is harmless.
 *
 * @param taskId  the reduce task
 * @param attempt its attempt
 * @param afterId the cursor: 0 for the first page, then the {@code next} of the page before
 * @param limit   results per page, 1 to {@link #MAX_LIMIT}
 */
public record ResultsRequest(long taskId, int attempt, long afterId, int limit) implements Message {

    public static final int MAX_LIMIT = 1_000;
}
