package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.awaitEnded;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static dev.gnomon.tests.e2e.JobRuns.logOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.LogEntry;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.tests.TestServer;
import dev.gnomon.worker.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A job run through the API reaches the processor with both kinds of parameters; its result and log are kept. */
class ApiRunWithParamsTest {

    private static final int LINES = 120;

    @Test
    void processorSeesInstanceAndJobParamsAndItsResultAndLogAreStoredInOrder() {
        try (TestServer t = TestServer.start(Map.of())) {
            String secret = t.createApp("params");
            AtomicReference<String> seenJobParams = new AtomicReference<>();
            AtomicReference<String> seenInstanceParams = new AtomicReference<>();
            t.worker("params", secret, b -> b.processor("report", ctx -> {
                seenJobParams.set(ctx.params());
                seenInstanceParams.set(ctx.instanceParams());
                for (int i = 1; i <= LINES; i++) {
                    ctx.logger().info("line {} of {}", i, LINES);
                }
                return Result.success("job=" + ctx.params() + " instance=" + ctx.instanceParams());
            }));
            GnomonClient client = t.client();
            JobResource created = client.jobs().create(job("params", "report", "report", "{\"region\":\"eu\"}",
                ScheduleSpec.api(), null, null));

            InstanceResource run = client.jobs().run(created.id(), "{\"day\":\"2024-03-31\"}");
            assertThat(run.trigger()).isEqualTo(TriggerKind.API);
            assertThat(run.params()).isEqualTo("{\"day\":\"2024-03-31\"}");
            InstanceResource done = awaitEnded(client, run.id());
            // recorded already dispatched when the owner's dispatch loop was idle, else waiting for a pass
            assertThat(run.state()).isIn(InstanceState.WAITING, InstanceState.DISPATCHED);
            if (run.state() == InstanceState.DISPATCHED) {
                assertThat(run.workerId()).isNotNull().isEqualTo(done.workerId());
                assertThat(run.startedAt()).isEqualTo(done.startedAt());
            } else {
                assertThat(run.workerId()).isNull();
            }

            assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
            assertThat(seenJobParams.get()).isEqualTo("{\"region\":\"eu\"}");
            assertThat(seenInstanceParams.get()).isEqualTo("{\"day\":\"2024-03-31\"}");
            assertThat(done.result()).isEqualTo("job={\"region\":\"eu\"} instance={\"day\":\"2024-03-31\"}");
            assertThat(done.attempt()).isEqualTo(1);
            assertThat(done.startedAt()).isNotNull();
            assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());

            List<LogEntry> log = logOf(client, run.id());
            List<String> expected = IntStream.rangeClosed(1, LINES).mapToObj(i -> "line " + i + " of " + LINES).toList();
            assertThat(log).extracting(LogEntry::text).containsExactlyElementsOf(expected);
            assertThat(log).allMatch(e -> e.attempt() == 1);
            List<Long> seqs = new ArrayList<>(log.stream().map(LogEntry::seq).toList());
            assertThat(seqs).isSorted().doesNotHaveDuplicates();
        }
    }
}
