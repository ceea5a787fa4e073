package dev.gnomon.tests.e2e;

import static dev.gnomon.tests.e2e.JobRuns.awaitEnded;
import static dev.gnomon.tests.e2e.JobRuns.awaitInstance;
import static dev.gnomon.tests.e2e.JobRuns.job;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.TaskPhase;
import dev.gnomon.protocol.TaskRef;
import dev.gnomon.protocol.api.BackoffKind;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.RetrySpec;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Decision 6 seen from the wire: a report is keyed by (task, attempt, seq). A resent report, on
 * the same channel or after a reconnect, is acknowledged again and never applied twice, and it is
 * not mistaken for a late one; a dispatch that the channel lost is sent again when the worker
 * comes back without it.
 */
class ReportIdempotenceTest {

    @Test
    void aReportResentAfterTheServerAppliedItIsAcknowledgedAgainAndAppliedOnce() throws Exception {
        try (TestServer t = TestServer.start(Map.of())) {
            String secret = t.createApp("resend");
            GnomonClient client = t.client();
            JobResource job = client.jobs().create(job("resend", "flaky", "raw", null, ScheduleSpec.api(),
                new RetrySpec(1, BackoffKind.FIXED, Duration.ofSeconds(1), Duration.ofSeconds(1)), null));
            long id;
            TaskRef attempt1;
            TaskRef second;
            try (RawWorkerChannel first = RawWorkerChannel.open(t.url(), "resend", secret, "raw-1", List.of())) {
                id = client.jobs().run(job.id(), null).id();
                attempt1 = first.awaitMessage(DispatchTask.class, d -> d.attempt() == 1).ref();
                first.report(attempt1, 1, TaskPhase.STARTED, null);
                first.report(attempt1, 2, TaskPhase.FAILED, "boom");
                first.awaitAcks(attempt1, 1, 1);
                first.awaitAcks(attempt1, 2, 1);

                // the acknowledgements were lost: the worker sends both again, in order
                first.report(attempt1, 1, TaskPhase.STARTED, null);
                first.report(attempt1, 2, TaskPhase.FAILED, "boom");
                first.awaitAcks(attempt1, 1, 2);
                first.awaitAcks(attempt1, 2, 2);

                second = first.awaitMessage(DispatchTask.class, d -> d.attempt() == 2).ref();
            }
            // a new channel: the worker still runs attempt 2 and resends attempt 1's result once more
            try (RawWorkerChannel again = RawWorkerChannel.open(t.url(), "resend", secret, "raw-1", List.of(second))) {
                again.report(attempt1, 2, TaskPhase.FAILED, "boom");
                again.awaitAcks(attempt1, 2, 1);
                again.report(second, 1, TaskPhase.STARTED, null);
                again.report(second, 2, TaskPhase.SUCCEEDED, "fine");
                again.awaitAcks(second, 2, 1);

                InstanceResource done = awaitEnded(client, id);
                assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.attempt()).as("one failure, applied once, makes one retry").isEqualTo(2);
                assertThat(done.result()).isEqualTo("fine");
                assertThat(client.instances().refusedReports(id, null, null).items())
                    .as("resent reports are duplicates, not late ones").isEmpty();
                assertThat(JobRuns.instancesOf(client, job.id())).hasSize(1);
            }
        }
    }

    @Test
    void aDispatchLostWithTheChannelIsSentAgainAndRunsAsTheSameAttempt() throws Exception {
        try (TestServer t = TestServer.start(Map.of())) {
            String secret = t.createApp("redispatch");
            GnomonClient client = t.client();
            JobResource job = client.jobs().create(job("redispatch", "once", "raw", null, ScheduleSpec.api(), null,
                null));
            long id;
            TaskRef sent;
            try (RawWorkerChannel first = RawWorkerChannel.open(t.url(), "redispatch", secret, "raw-2", List.of())) {
                id = client.jobs().run(job.id(), null).id();
                sent = first.awaitMessage(DispatchTask.class, d -> true).ref();
            }
            awaitInstance(client, id, "DISPATCHED", i -> i.state() == InstanceState.DISPATCHED);
            // the worker never saw the dispatch (it was on the wire when the channel dropped)
            try (RawWorkerChannel back = RawWorkerChannel.open(t.url(), "redispatch", secret, "raw-2", List.of())) {
                DispatchTask resent = back.awaitMessage(DispatchTask.class, d -> true);
                assertThat(resent.ref()).isEqualTo(sent);
                back.report(sent, 1, TaskPhase.STARTED, null);
                back.report(sent, 2, TaskPhase.SUCCEEDED, "ran once");
                back.awaitAcks(sent, 2, 1);

                InstanceResource done = awaitEnded(client, id);
                assertThat(done.state()).isEqualTo(InstanceState.SUCCEEDED);
                assertThat(done.attempt()).isEqualTo(1);
                assertThat(done.result()).isEqualTo("ran once");
            }
        }
    }
}
