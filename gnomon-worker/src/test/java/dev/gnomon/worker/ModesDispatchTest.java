package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a processor sees of shards and broadcast post-steps, and the tags a worker declares. */
class ModesDispatchTest extends WorkerFixture {

    private static final List<TaskResult> RESULTS = List.of(new TaskResult("worker-a", "a", "SUCCEEDED", "1 entry"),
        new TaskResult("worker-b", "b", "WORKER_LOST", "worker b lost"));

    @Test
    void aShardSeesItsIndexCountAndParameter() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("shard", ctx -> Result.success(ctx.taskKey() + " " + ctx.shardIndex()
            + "/" + ctx.shardCount() + " " + ctx.shardParams() + " " + ctx.params())));
        DispatchTask task = new DispatchTask(5, 2, 50, 7, "job", "shard", "all", null, 0, TaskKind.PROCESS, "shard-3",
            3, 8, "eu-west", List.of());

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.report(task.ref(), TaskPhase.SUCCEEDED).message()).isEqualTo("shard-3 3/8 eu-west all");
    }

    @Test
    void aPostStepCallsPostBroadcastWithEveryResult() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("clear-cache", new Processor() {
            @Override
            public Result process(TaskContext ctx) {
                return Result.failure("process must not run for the post-step");
            }

            @Override
            public Result postBroadcast(TaskContext ctx, List<TaskResult> results) {
                long ok = results.stream().filter(TaskResult::succeeded).count();
                return Result.success(ok + " of " + results.size() + " cleared; " + ctx.results().get(1).state());
            }
        }));
        DispatchTask post = new DispatchTask(6, 1, 60, 7, "job", "clear-cache", null, null, 0,
            TaskKind.POST_BROADCAST, "post", -1, 0, null, RESULTS);

        server.send(post);

        awaitReport(server, post.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.report(post.ref(), TaskPhase.SUCCEEDED).message()).isEqualTo("1 of 2 cleared; WORKER_LOST");
    }

    @Test
    void aPostStepProcessorWithoutTheHookRunsProcessWithTheResultsInItsContext() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.processor("summary", ctx -> Result.success(ctx.results().size() + " results")));
        DispatchTask post = new DispatchTask(7, 1, 70, 7, "job", "summary", null, null, 0, TaskKind.POST_BROADCAST,
            "post", -1, 0, null, RESULTS);

        server.send(post);

        awaitReport(server, post.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.report(post.ref(), TaskPhase.SUCCEEDED).message()).isEqualTo("2 results");
    }

    @Test
    void tagsGoInTheHelloAndBadTagsAreRefusedByTheBuilder() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.tags("gpu, eu-west", "ssd").processor("p", ctx -> Result.success()));

        assertThat(server.hellos().get(0).tags()).containsExactlyInAnyOrder("gpu", "eu-west", "ssd");
        assertThatThrownBy(() -> GnomonWorker.builder().tags("has space"))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tag 'has space' is not allowed");
    }
}
