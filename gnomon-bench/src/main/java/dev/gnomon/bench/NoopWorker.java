package dev.gnomon.bench;

import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process with a processor, {@code noop}, that does nothing and returns the epoch
 * microsecond at which it started: the harness reads it back from the instance's result to
 * measure start times across the process hop; and {@code sleep}, which sleeps for the job's
 * params in milliseconds first, to hold tasks running. Arguments: server URL, app, secret, max tasks.
 *
 * <p>Commands on standard input, one per line, let the harness take the process off the server
 * and back without a new JVM, as a long-running worker's would be: {@code disconnect <n>} closes
 * the worker (its tasks end, it leaves the server); {@code connect <n>} starts a new worker in
 * the same process. Each prints {@code bench worker <command> <n> done} once carried out.
 */
public final class NoopWorker {

    private static volatile GnomonWorker current;

    private NoopWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        current = build(args);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            current.close();
            stopped.countDown();
        }, "bench-worker-shutdown"));
        current.start();
        System.out.println("bench worker " + current.id() + " started");
        Thread commands = new Thread(() -> obey(args), "bench-worker-commands");
        commands.setDaemon(true);
        commands.start();
        stopped.await();
    }

    private static GnomonWorker build(String[] args) {
        return GnomonWorker.builder()
            .servers(args[0]).app(args[1]).secret(args[2]).maxTasks(Integer.parseInt(args[3]))
            .processor("noop", ctx -> Result.success(Long.toString(Jvm.micros())))
            .processor("sleep", ctx -> {
                Thread.sleep(Long.parseLong(ctx.params()));
                return Result.success(Long.toString(Jvm.micros()));
            })
            .build();
    }

    /** Reads commands until standard input ends (the harness gave none, or went away). */
    private static void obey(String[] args) {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String command = line.strip();
                if (command.startsWith("disconnect ")) {
                    current.close();
                } else if (command.startsWith("connect ")) {
                    GnomonWorker next = build(args);
                    next.start();
                    current = next;
                } else {
                    System.out.println("bench worker: unknown command '" + command + "'");
                    continue;
                }
                System.out.println("bench worker " + command + " done");
            }
        } catch (IOException e) {
            System.out.println("bench worker: commands stopped: " + e);
        }
    }
}
