package dev.gnomon.cli;

import dev.gnomon.server.GnomonServer;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gnomon server}: runs one server until the process is stopped. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run a Gnomon server (API, scheduler, dispatcher) until stopped.")
final class ServerCommand implements Callable<Integer> {

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() throws InterruptedException {
        GnomonServer server = GnomonServer.builder().config(options.load()).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "gnomon-shutdown"));
        System.out.println("Gnomon server " + server.serverId() + " listening on port " + server.port());
        stopped.await();
        return 0;
    }
}
