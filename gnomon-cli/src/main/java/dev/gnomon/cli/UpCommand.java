package dev.gnomon.cli;

import dev.gnomon.server.DemoSetup;
import dev.gnomon.server.GnomonServer;
import dev.gnomon.server.auth.AdminBootstrap;
import dev.gnomon.server.config.ServerConfig;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.agent.WorkerAgent;
import dev.gnomon.worker.agent.WorkerAgentConfig;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gnomon up}: a server on embedded H2, a local worker agent with shell enabled, a demo
 * app and a demo cron job, in one process, for a first look.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
    description = "Start a server on embedded H2 with a local worker, a demo app and a demo cron job.")
final class UpCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    /** Starts everything, then stops again: the launcher's training run for its class-data archive. */
    @Option(names = "--exit-when-started", hidden = true)
    boolean exitWhenStarted;

    @Override
    public Integer call() throws InterruptedException {
        ServerConfig config = options.load();
        GnomonServer server = GnomonServer.builder().config(config).build();
        GnomonWorker worker;
        try {
            DemoSetup.Demo demo = DemoSetup.ensure(server, config.dataDir(), Clock.systemUTC());
            worker = WorkerAgent.create(new WorkerAgentConfig(List.of("http://127.0.0.1:" + server.port()),
                DemoSetup.APP, demo.secret(), true, 0, null));
            worker.start();
            boolean connected = worker.awaitConnected(Duration.ofSeconds(20));
            banner(System.out, server, config, connected);
            if (exitWhenStarted) {
                worker.close();
                server.close();
                return connected ? 0 : 1;
            }
        } catch (RuntimeException | InterruptedException e) {
            server.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            server.close();
            stopped.countDown();
        }, "gnomon-shutdown"));
        stopped.await();
        return 0;
    }

    private static void banner(PrintStream out, GnomonServer server, ServerConfig config, boolean connected) {
        String url = "http://127.0.0.1:" + server.port();
        String password = server.generatedAdminPassword().orElse(null);
        String shown = password != null ? password : "PASSWORD";
        out.println();
        out.println("Gnomon is up.");
        out.println("  API       " + url + "/api/v1   (OpenAPI document: " + url + "/api/v1/openapi.json)");
        if (password != null) {
            out.println("  Log in    user admin, password " + password);
            out.println("            (shown once; also in " + config.dataDir().resolve(AdminBootstrap.PASSWORD_FILE) + ")");
        } else {
            out.println("  Log in    user admin, with the password printed at the first start");
            out.println("            (kept in " + config.dataDir().resolve(AdminBootstrap.PASSWORD_FILE)
                + " unless you deleted it)");
        }
        out.println("  Data      " + config.dataDir());
        out.println("  Worker    " + (connected ? "connected" : "NOT connected yet (see the log above)")
            + ", app '" + DemoSetup.APP + "', shell enabled");
        out.println("  Demo job  '" + DemoSetup.JOB + "' runs a shell echo every 10 seconds. Try:");
        out.println("    curl -u admin:" + shown + " '" + url + "/api/v1/instances?app=" + DemoSetup.APP + "&limit=3'");
        out.println("    ./gnomon instance list --app " + DemoSetup.APP + " --user admin --password " + shown);
        out.println("Press Ctrl+C to stop.");
        out.flush();
    }
}
