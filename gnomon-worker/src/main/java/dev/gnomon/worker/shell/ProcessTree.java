package dev.gnomon.worker.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A script's process, its process group, and every descendant seen so far. Stopping sends
 * SIGTERM to all of them, waits, then SIGKILL, and returns only once all are gone.
 */
final class ProcessTree {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessTree.class);

    private final Process root;
    private final boolean ownGroup;
    private final Set<ProcessHandle> seen = new LinkedHashSet<>();

    ProcessTree(Process root, boolean ownGroup) {
        this.root = root;
        this.ownGroup = ownGroup;
    }

    /** Remembers the current descendants: once the root dies they are re-parented and no longer listed. */
    synchronized void observe() {
        root.descendants().forEach(seen::add);
    }

    /** Stops the whole tree; returns true when every process is gone. */
    boolean stop(long graceMillis) throws InterruptedException {
        observe();
        signal("TERM");
        if (awaitGone(graceMillis)) {
            return true;
        }
        LOG.warn("Process tree of pid {} still alive {} ms after SIGTERM; sending SIGKILL", root.pid(), graceMillis);
        observe();
        signal("KILL");
        return awaitGone(5_000);
    }

    private void signal(String signal) {
        if (ownGroup) {
            kill("-" + signal, "--", "-" + root.pid());
        }
        for (ProcessHandle handle : handles()) {
            if (signal.equals("TERM")) {
                handle.destroy();
            } else {
                handle.destroyForcibly();
            }
        }
    }

    private boolean awaitGone(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < deadline) {
            if (handles().stream().noneMatch(ProcessTree::alive)) {
                return true;
            }
            Thread.sleep(20);
        }
        return handles().stream().noneMatch(ProcessTree::alive);
    }

    private synchronized List<ProcessHandle> handles() {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(root.toHandle());
        all.addAll(seen);
        return all;
    }

    /** A zombie is dead for our purpose: it runs nothing, it only waits for its parent to reap it. */
    static boolean alive(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + handle.pid() + "/stat"));
            int end = stat.lastIndexOf(')');
            return end < 0 || end + 2 >= stat.length() || stat.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.isAlive();
        }
    }

    private static void kill(String... args) {
        List<String> command = new ArrayList<>();
        command.add("kill");
        command.addAll(List.of(args));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("Could not run {}: {}", command, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
