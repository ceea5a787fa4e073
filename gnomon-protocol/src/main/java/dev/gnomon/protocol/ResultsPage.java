package dev.gnomon.protocol;

import java.util.List;

/**
 * One page of sub-task results for a reduce step, answering the {@link ResultsRequest} with the
 * same task, attempt and {@code afterId}.
 *
 * @param results each successful sub-task's key, worker and result, by task id
 * @param next    the cursor of the next page; -1 when this page is the last
 * @param refusal why no results are given (the attempt ended, the task is not a reduce step); null otherwise
 */
public record ResultsPage(long taskId, int attempt, long afterId, List<TaskResult> results, long next, String refusal)
    implements Message {

    public ResultsPage {
        results = results == null ? List.of() : List.copyOf(results);
    }
}
