package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.ResultsRequest;
import dev.gnomon.protocol.TaskResult;
import dev.gnomon.server.store.SubTaskStore;
import dev.gnomon.server.store.TaskRow;
import dev.gnomon.server.store.TaskStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a reduce step's requests for its sub-tasks' results, a page at a time, off the dispatch
 * thread. A page is read by task id, so the reduce sees every successful sub-task once and the
 * server never holds more than a page.
 */
public final class ResultPages implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ResultPages.class);

    private final TaskStore tasks;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "gnomon-results");
        t.setDaemon(true);
        return t;
    });

    public ResultPages(TaskStore tasks) {
        this.tasks = tasks;
    }

    public void accept(WorkerSession session, ResultsRequest request) {
        executor.execute(() -> {
            try {
                session.send(page(request));
            } catch (RuntimeException e) {
                LOG.warn("cannot read results for reduce task {}; the worker will ask again: {}", request.taskId(),
                    e.toString());
            }
        });
    }

    /** The page asked for, or why there is none. */
    ResultsPage page(ResultsRequest request) {
        Optional<TaskRow> found = tasks.find(request.taskId());
        String refusal = found.isEmpty() ? "task " + request.taskId() + " is not known to the server"
            : refusal(found.get(), request);
        if (refusal != null) {
            return new ResultsPage(request.taskId(), request.attempt(), request.afterId(), List.of(), -1, refusal);
        }
        int limit = Math.max(1, Math.min(request.limit(), ResultsRequest.MAX_LIMIT));
        List<TaskRow> rows = tasks.subTasks().results(found.get().instanceId(), request.afterId(), limit);
        List<TaskResult> results = rows.stream()
            .map(t -> new TaskResult(t.taskKey(), t.workerId(), t.state(), t.result())).toList();
        long next = rows.size() < limit ? -1 : rows.get(rows.size() - 1).id();
        return new ResultsPage(request.taskId(), request.attempt(), request.afterId(), results, next, null);
    }

    private static String refusal(TaskRow task, ResultsRequest request) {
        if (!task.taskKey().equals(SubTaskStore.REDUCE)) {
            return "task " + task.id() + " (" + task.taskKey() + ") is not a reduce step; only a reduce step reads"
                + " the sub-tasks' results";
        }
        if (task.attempt() != request.attempt() || task.terminal()) {
            return "reduce task " + task.id() + " is at attempt " + task.attempt() + " (" + task.state() + "); attempt "
                + request.attempt() + " can no longer read results";
        }
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
