package dev.gnomon.worker.shell;

import dev.gnomon.protocol.Json;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.worker.Processor;
import dev.gnomon.worker.Result;
import dev.gnomon.worker.TaskCancelledException;
import dev.gnomon.worker.TaskContext;
import dev.gnomon.worker.task.RunningTaskContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The built-in {@code shell} processor: runs the job's parameters as a script with
 * {@code /bin/sh -c}, in a process group of its own (via {@code setsid}) so that stopping the
 * task can end every process the script started. Stdout lines are logged at INFO, stderr at WARN.
 */
public final class ShellProcessor implements Processor {

    /** How long a stopped script gets between SIGTERM and SIGKILL. */
    static final long TERM_GRACE_MS = 3_000;
    private static final long READER_JOIN_MS = 2_000;
    private static final String SETSID = findSetsid();

    @Override
    public Result process(TaskContext ctx) throws Exception {
        String script = ctx.params();
        if (script == null || script.isBlank()) {
            return Result.failure("the shell job has no script: put the script in the job's parameters");
        }
        var log = ((RunningTaskContext) ctx).spoolLogger();
        Process process = command(ctx, script).start();
        ProcessTree tree = new ProcessTree(process, SETSID != null);
        OutputReader out = new OutputReader(process.getInputStream(), LogLevel.INFO, log);
        OutputReader err = new OutputReader(process.getErrorStream(), LogLevel.WARN, log);
        Thread outThread = start(out, "gnomon-shell-stdout-" + ctx.taskId());
        Thread errThread = start(err, "gnomon-shell-stderr-" + ctx.taskId());
        try {
            while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
                tree.observe();
            }
        } catch (InterruptedException e) {
            boolean gone = tree.stop(TERM_GRACE_MS);
            outThread.join(READER_JOIN_MS);
            errThread.join(READER_JOIN_MS);
            if (!gone) {
                log.error("some processes of the script (pid {}) survived SIGKILL", process.pid());
            }
            throw new TaskCancelledException("script stopped (pid " + process.pid() + ")");
        }
        // a background child may hold the pipes open after the script exits; do not wait for it forever
        outThread.join(READER_JOIN_MS);
        errThread.join(READER_JOIN_MS);
        int code = process.exitValue();
        if (code == 0) {
            return Result.success("exit 0");
        }
        String lastErr = err.lastLine();
        return Result.failure("exit code " + code + (lastErr == null || lastErr.isBlank() ? "" : ": " + lastErr));
    }

    private static ProcessBuilder command(TaskContext ctx, String script) {
        List<String> command = new ArrayList<>();
        if (SETSID != null) {
            command.add(SETSID);
        }
        command.addAll(List.of("/bin/sh", "-c", script));
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(new File("/dev/null"));
        Map<String, String> env = builder.environment();
        env.put("GNOMON_INSTANCE_ID", Long.toString(ctx.instanceId()));
        env.put("GNOMON_TASK_ID", Long.toString(ctx.taskId()));
        env.put("GNOMON_ATTEMPT", Integer.toString(ctx.attempt()));
        env.put("GNOMON_JOB_NAME", Objects.requireNonNullElse(ctx.jobName(), ""));
        env.put("GNOMON_PARAMS", Objects.requireNonNullElse(ctx.instanceParams(), ""));
        env.put("GNOMON_TASK_KEY", Objects.requireNonNullElse(ctx.taskKey(), ""));
        if (ctx.shardIndex() >= 0) {
            env.put("GNOMON_SHARD_INDEX", Integer.toString(ctx.shardIndex()));
            env.put("GNOMON_SHARD_COUNT", Integer.toString(ctx.shardCount()));
            env.put("GNOMON_SHARD_PARAMS", Objects.requireNonNullElse(ctx.shardParams(), ""));
        }
        if (!ctx.results().isEmpty()) {
            env.put("GNOMON_RESULTS", results(ctx));
        }
        return builder;
    }

    /** The post-step's results as a JSON array, for the script. */
    private static String results(TaskContext ctx) {
        try {
            return Json.mapper().writeValueAsString(ctx.results());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the task results as JSON", e);
        }
    }

    private static Thread start(Runnable reader, String name) {
        Thread thread = new Thread(reader, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** setsid(1) from util-linux; without it (macOS) only descendants seen via ProcessHandle are stopped. */
    private static String findSetsid() {
        for (String path : List.of("/usr/bin/setsid", "/bin/setsid")) {
            if (Files.isExecutable(Path.of(path))) {
                return path;
            }
        }
        return null;
    }
}
