package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.ResultsPage;
import dev.gnomon.protocol.ResultsRequest;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskResult;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A reduce step iterates its sub-tasks' results, read from the server a page at a time. */
class ReduceResultsTest extends WorkerFixture {

    private static final int TOTAL = 2_345;

    /** Pages of the results of sub-tasks with ids 1..TOTAL, whose result is their id. */
    private static ResultsPage page(ResultsRequest r) {
        List<TaskResult> results = LongStream.rangeClosed(r.afterId() + 1, Math.min(TOTAL, r.afterId() + r.limit()))
            .mapToObj(id -> new TaskResult("part-1-" + id, "w", "SUCCEEDED", String.valueOf(id))).toList();
        long last = r.afterId() + results.size();
        return new ResultsPage(r.taskId(), r.attempt(), r.afterId(), results, last >= TOTAL ? -1 : last, null);
    }

    private static DispatchTask reduce(long taskId, String processor) {
        return new DispatchTask(taskId, 1, 900, 7, "job", processor, null, null, 0, TaskKind.REDUCE, "reduce", -1, 0,
            null, List.of());
    }

    @Test
    void theReduceSeesEveryResultOncePageByPageAndAnUnansweredRequestIsSentAgain() throws Exception {
        FakeServer server = server();
        AtomicBoolean ignoredOnce = new AtomicBoolean();
        server.resultsReply = r -> r.afterId() == 1_000 && ignoredOnce.compareAndSet(false, true) ? null : page(r);
        connectedWorker(server, b -> b.processor("sum", new Processor() {
            @Override
            public Result process(TaskContext ctx) {
                return Result.failure("process must not run for the reduce step");
            }

            @Override
            public Result reduce(TaskContext ctx) {
                long sum = 0;
                Set<String> keys = new HashSet<>();
                for (TaskResult r : ctx.subTaskResults()) {
                    sum += Long.parseLong(r.result());
                    keys.add(r.taskKey());
                }
                return Result.success("count=" + keys.size() + " sum=" + sum);
            }
        }));
        DispatchTask task = reduce(61, "sum");

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.report(task.ref(), TaskPhase.SUCCEEDED).message())
            .isEqualTo("count=" + TOTAL + " sum=" + (long) TOTAL * (TOTAL + 1) / 2);
        assertThat(server.of(ResultsRequest.class)).extracting(ResultsRequest::afterId)
            .containsExactly(0L, 1_000L, 1_000L, 2_000L);
        assertThat(server.of(ResultsRequest.class)).allSatisfy(r -> assertThat(r.limit()).isEqualTo(1_000));
    }

    @Test
    void aRefusedPageFailsTheReduceAndOnlyAReduceStepMayReadResults() throws Exception {
        FakeServer server = server();
        server.resultsReply = r -> new ResultsPage(r.taskId(), r.attempt(), r.afterId(), List.of(), -1,
            "reduce task 62 is at attempt 2 (DISPATCHED)");
        connectedWorker(server, b -> b.processor("count", ctx -> {
            int n = 0;
            for (TaskResult ignored : ctx.subTaskResults()) {
                n++;
            }
            return Result.success(String.valueOf(n));
        }));
        DispatchTask refused = reduce(62, "count");
        DispatchTask notReduce = new DispatchTask(63, 1, 900, 7, "job", "count", null, null, 0, TaskKind.PROCESS,
            "root", -1, 0, null, List.of());

        server.send(refused);
        server.send(notReduce);

        awaitReport(server, refused.ref(), TaskPhase.FAILED);
        awaitReport(server, notReduce.ref(), TaskPhase.FAILED);
        assertThat(server.report(refused.ref(), TaskPhase.FAILED).message()).isEqualTo("java.lang.IllegalStateException:"
            + " the server refused the results of task 62: reduce task 62 is at attempt 2 (DISPATCHED)");
        assertThat(server.report(notReduce.ref(), TaskPhase.FAILED).message())
            .contains("task root is not a reduce step");
    }
}
