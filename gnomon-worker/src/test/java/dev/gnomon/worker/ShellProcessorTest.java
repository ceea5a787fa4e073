package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.StopReason;
import dev.gnomon.protocol.StopTask;
import dev.gnomon.protocol.TaskPhase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellProcessorTest extends WorkerFixture {

    @TempDir
    Path dir;

    @Test
    void stdoutIsInfoStderrIsWarnAndAFailingExitCodeFails() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.enableShell(true));
        DispatchTask task = dispatch(20, "shell",
            "echo \"$GNOMON_TASK_ID $GNOMON_ATTEMPT $GNOMON_INSTANCE_ID $GNOMON_JOB_NAME $GNOMON_PARAMS\"\n"
                + "echo 'cannot open db' >&2\nexit 3", 0);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.FAILED);
        assertThat(server.report(task.ref(), TaskPhase.FAILED).message()).isEqualTo("exit code 3: cannot open db");
        List<LogLine> lines = server.logLines(task.ref());
        assertThat(lines).extracting(LogLine::level, LogLine::text).containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(LogLevel.INFO, "20 1 1020 job-20 inst-20"),
            org.assertj.core.groups.Tuple.tuple(LogLevel.WARN, "cannot open db"));
    }

    @Test
    void aShardAndAPostStepSeeTheirPartsInTheEnvironment() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.enableShell(true));
        DispatchTask shard = new DispatchTask(22, 1, 1022, 7, "job-22", "shell",
            "echo \"$GNOMON_TASK_KEY $GNOMON_SHARD_INDEX/$GNOMON_SHARD_COUNT $GNOMON_SHARD_PARAMS\"", null, 0,
            dev.gnomon.protocol.TaskKind.PROCESS, "shard-2", 2, 4, "eu west", List.of());
        DispatchTask post = new DispatchTask(23, 1, 1023, 7, "job-23", "shell",
            "echo \"$GNOMON_TASK_KEY ${GNOMON_SHARD_INDEX:-none} $GNOMON_RESULTS\"", null, 0,
            dev.gnomon.protocol.TaskKind.POST_BROADCAST, "post", -1, 0, null,
            List.of(new dev.gnomon.protocol.TaskResult("worker-a", "a", "SUCCEEDED", "ok")));

        server.send(shard);
        server.send(post);

        awaitReport(server, shard.ref(), TaskPhase.SUCCEEDED);
        awaitReport(server, post.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.logLines(shard.ref())).extracting(LogLine::text).containsExactly("shard-2 2/4 eu west");
        assertThat(server.logLines(post.ref())).extracting(LogLine::text).containsExactly(
            "post none [{\"taskKey\":\"worker-a\",\"workerId\":\"a\",\"state\":\"SUCCEEDED\",\"result\":\"ok\"}]");
    }

    @Test
    void exitZeroSucceeds() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.enableShell(true));
        DispatchTask task = dispatch(21, "shell", "for i in 1 2 3; do echo line $i; done", 0);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        assertThat(server.report(task.ref(), TaskPhase.SUCCEEDED).message()).isEqualTo("exit 0");
        assertThat(server.logLines(task.ref())).extracting(LogLine::text)
            .containsExactly("line 1", "line 2", "line 3");
    }

    @Test
    void aVeryLongLineIsCut() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.enableShell(true));
        DispatchTask task = dispatch(22, "shell", "head -c 100000 /dev/zero | tr '\\0' 'x'; echo; echo after", 0);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.SUCCEEDED);
        List<LogLine> lines = server.logLines(task.ref());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).text()).startsWith("xxxx").endsWith("[line cut at 65536 characters]")
            .hasSize(65536 + " [line cut at 65536 characters]".length());
        assertThat(lines.get(1).text()).isEqualTo("after");
    }

    @Test
    void stoppingAScriptEndsItsWholeProcessTree() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.enableShell(true));
        Path pids = dir.resolve("pids");
        String script = "echo $$ >> " + pids + "\n"
            + "sleep 300 &\necho $! >> " + pids + "\n"
            + "sh -c 'sleep 300 & echo $! >> " + pids + "; wait' &\necho $! >> " + pids + "\n"
            + "echo started\nwait\n";
        DispatchTask task = dispatch(23, "shell", script, 0);
        server.send(task);
        await().atMost(WAIT).until(() -> Files.exists(pids) && Files.readAllLines(pids).size() == 4
            && server.logLines(task.ref()).stream().anyMatch(l -> l.text().equals("started")));
        List<Long> tree = Files.readAllLines(pids).stream().map(String::strip).map(Long::parseLong).toList();
        assertThat(tree).allMatch(ShellProcessorTest::alive);

        server.send(new StopTask(23, 1, StopReason.USER));

        awaitReport(server, task.ref(), TaskPhase.STOPPED);
        assertThat(tree).noneMatch(ShellProcessorTest::alive);
    }

    @Test
    void aScriptPastItsTimeoutIsKilledAndTimedOut() throws Exception {
        FakeServer server = server();
        connectedWorker(server, b -> b.enableShell(true));
        Path pids = dir.resolve("pids");
        DispatchTask task = dispatch(24, "shell", "trap '' TERM\nsleep 300 &\necho $! > " + pids + "\nwait", 500);

        server.send(task);

        awaitReport(server, task.ref(), TaskPhase.TIMED_OUT);
        long child = Long.parseLong(Files.readString(pids).strip());
        assertThat(alive(child)).isFalse();
    }

    /** Alive and not a zombie waiting to be reaped by a parent that does not reap. */
    static boolean alive(long pid) {
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
            } catch (Exception e) {
                return false;
            }
        }
        return false;
    }
}
