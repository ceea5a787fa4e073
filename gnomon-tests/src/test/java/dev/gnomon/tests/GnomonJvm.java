package dev.gnomon.tests;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar gnomon.jar <args>} as a separate, small JVM (the machine is shared), started as
 * a user would start it, with its output (stdout and stderr together) collected line by line.
 * Closing it kills the JVM and every process it started.
 */
public final class GnomonJvm implements AutoCloseable {

    private static final List<String> JVM_FLAGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<ProcessHandle> descendants = new CopyOnWriteArrayList<>();

    private GnomonJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::read, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** The shaded jar the build made in the package phase; fails with a hint when it is missing. */
    public static Path jar() {
        Path jar = Path.of("..", "gnomon-cli", "target", "gnomon.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the runnable jar " + jar + " is missing; build it with"
                + " ./mvnw -pl gnomon-tests -am verify (the package phase of gnomon-cli makes it)");
        }
        return jar;
    }

    public static GnomonJvm start(String name, List<String> args) {
        return start(name, Map.of(), args);
    }

    /** Starts {@code java -jar gnomon.jar <args>} with these extra environment variables. */
    public static GnomonJvm start(String name, Map<String, String> env, List<String> args) {
        List<String> launch = new ArrayList<>(List.of("-jar", jar().toString()));
        launch.addAll(args);
        return launch(name, env, launch);
    }

    /**
     * Starts {@code mainClass} of the tests' own class path in a JVM of its own: a user's
     * application with an embedded worker, say.
     */
    public static GnomonJvm startMain(String name, Class<?> mainClass, List<String> args) {
        List<String> launch = new ArrayList<>(List.of("-cp", System.getProperty("java.class.path"),
            mainClass.getName()));
        launch.addAll(args);
        return launch(name, Map.of(), launch);
    }

    private static GnomonJvm launch(String name, Map<String, String> env, List<String> launch) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(launch);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        try {
            return new GnomonJvm(name, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every line the process wrote so far. */
    public List<String> output() {
        return List.copyOf(lines);
    }

    /** The output so far, for failure messages. */
    public String outputText() {
        return name + " output:\n" + String.join("\n", lines);
    }

    /** The processes this JVM runs now (such as shell scripts). */
    public List<ProcessHandle> children() {
        return process.descendants().toList();
    }

    /** Remembers the processes it runs now, so that closing kills them too. */
    public void noteDescendants() {
        process.descendants().forEach(descendants::add);
    }

    /** SIGKILL: no shutdown hooks. Its scripts are left running, as after a crash (killed at close). */
    public void kill() throws InterruptedException {
        noteDescendants();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: the JVM runs its shutdown hooks; SIGKILL if it takes longer than 15 s. */
    public void stop() throws InterruptedException {
        noteDescendants();
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGSTOP: the JVM freezes, its sockets stay open. */
    public void pause() {
        signal("STOP");
    }

    /** SIGCONT. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        if (!process.isAlive()) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            resume();
            noteDescendants();
            process.destroyForcibly();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Deletes a directory tree, ignoring what cannot be deleted (a temp directory left behind is harmless). */
    public static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // nothing more to do
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
