package dev.gnomon.tests.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fault proxy against a small echo server: each fault does what later fault tests rely on. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FaultProxyTest {

    private static final int MIB = 1024 * 1024;
    private static final Duration LINK_LATENCY = Duration.ofMillis(300);

    private EchoServer echo;
    private ExecutorService senders;

    @BeforeEach
    void startEchoServer() throws IOException {
        echo = EchoServer.start();
        senders = Executors.newCachedThreadPool(body -> {
            Thread thread = new Thread(body, "test-sender");
            thread.setDaemon(true);
            return thread;
        });
    }

    @AfterEach
    void stopEchoServer() throws Exception {
        echo.close();
        senders.shutdownNow();
        assertThat(senders.awaitTermination(5, TimeUnit.SECONDS)).as("senders ended").isTrue();
    }

    @Test
    void passesBytesBothWaysIntact() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket socket = connect(proxy)) {
            byte[] payload = randomBytes(MIB);

            byte[] back = roundTrip(socket, payload);

            assertThat(crc(back)).isEqualTo(crc(payload));
            assertThat(back).isEqualTo(payload);
            // a pipe counts a chunk just after writing it, so the reader may finish first
            awaitForwarded(proxy, Direction.UPSTREAM, MIB);
            awaitForwarded(proxy, Direction.DOWNSTREAM, MIB);
        }
    }

    @Test
    void latencyDelaysEachDirection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket socket = connect(proxy)) {
            proxy.latency(LINK_LATENCY, Duration.ZERO);

            long start = System.nanoTime();
            byte[] back = roundTrip(socket, "ping".getBytes(StandardCharsets.US_ASCII));
            Duration took = since(start);

            assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("ping");
            assertThat(took).isBetween(Duration.ofMillis(600), Duration.ofMillis(1_999));
        }
    }

    @Test
    void latencyWithJitterPipelinesAndKeepsOrder() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket socket = connect(proxy)) {
            proxy.latency(LINK_LATENCY, Duration.ofMillis(100));
            byte[] payload = randomBytes(4 * MIB);

            long start = System.nanoTime();
            byte[] back = roundTrip(socket, payload);
            Duration took = since(start);

            assertThat(back).as("4 MiB after jittered delays, in order").isEqualTo(payload);
            // stop-and-wait with 64 KiB chunks would need 64 round trips: over 25 s
            assertThat(took).isBetween(Duration.ofMillis(400), Duration.ofSeconds(5));
        }
    }

    @Test
    void bandwidthCapsEachDirection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket socket = connect(proxy)) {
            proxy.bandwidth(MIB);
            byte[] payload = randomBytes(2 * MIB);

            long start = System.nanoTime();
            byte[] back = roundTrip(socket, payload);
            Duration took = since(start);

            assertThat(back).isEqualTo(payload);
            assertThat(took).isBetween(Duration.ofMillis(1_800), Duration.ofSeconds(8));
        }
    }

    @Test
    void cutAllResetsOpenConnectionsAndNewOnesWork() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket doomed = connect(proxy)) {
            assertThat(roundTrip(doomed, bytes("before"))).isEqualTo(bytes("before"));
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 1);

            assertThat(proxy.cutAll()).isEqualTo(1);

            assertEndedByPeer(doomed);
            assertThat(proxy.cuts()).isEqualTo(1);
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 0);
            try (Socket fresh = connect(proxy)) {
                assertThat(roundTrip(fresh, bytes("after"))).isEqualTo(bytes("after"));
            }
        }
    }

    @Test
    void cutEveryCutsOnScheduleUntilHealed() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket doomed = connect(proxy)) {
            assertThat(roundTrip(doomed, bytes("hello"))).isEqualTo(bytes("hello"));

            proxy.cutEvery(Duration.ofMillis(200));

            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.cuts() >= 3);
            assertEndedByPeer(doomed);

            proxy.heal();
            long cutsWhenHealed = proxy.cuts();
            try (Socket survivor = connect(proxy)) {
                // the time during which no cut may come is what is checked here
                Thread.sleep(500);
                assertThat(roundTrip(survivor, bytes("still here"))).isEqualTo(bytes("still here"));
            }
            assertThat(proxy.cuts()).isEqualTo(cutsWhenHealed);
        }
    }

    @Test
    void blackholeDropsBytesButKeepsConnectionsOpen() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port()); Socket before = connect(proxy)) {
            assertThat(roundTrip(before, bytes("hello"))).isEqualTo(bytes("hello"));
            awaitForwarded(proxy, Direction.UPSTREAM, bytes("hello").length);
            long forwarded = proxy.bytesForwarded(Direction.UPSTREAM);

            proxy.blackhole(true);
            try (Socket during = connect(proxy)) {
                before.getOutputStream().write(bytes("lost"));
                during.getOutputStream().write(bytes("lost too"));

                assertNothingArrivesWithin(before, Duration.ofMillis(500));
                assertNothingArrivesWithin(during, Duration.ofMillis(100));
                before.getOutputStream().write(bytes("still accepted"));
                assertThat(proxy.connections()).isEqualTo(2);
                assertThat(echo.accepted()).as("the target never hears of a connection made into a blackhole").isEqualTo(1);
                assertThat(proxy.bytesForwarded(Direction.UPSTREAM)).isEqualTo(forwarded);

                proxy.heal();

                try (Socket after = connect(proxy)) {
                    assertThat(roundTrip(after, bytes("healed"))).isEqualTo(bytes("healed"));
                }
                before.getOutputStream().write(bytes("dead for good"));
                assertNothingArrivesWithin(before, Duration.ofMillis(200));
            }
        }
    }

    @Test
    void refuseResetsNewConnectionsUntilHealed() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port())) {
            proxy.refuse(true);
            try (Socket refused = connect(proxy)) {
                assertEndedByPeer(refused);
            }
            assertThat(echo.accepted()).isZero();

            proxy.heal();

            try (Socket accepted = connect(proxy)) {
                assertThat(roundTrip(accepted, bytes("up again"))).isEqualTo(bytes("up again"));
            }
        }
    }

    @Test
    void closeEndsEveryConnectionAndThread() throws Exception {
        FaultProxy proxy = FaultProxy.start(echo.port());
        proxy.latency(LINK_LATENCY, Duration.ZERO).bandwidth(64 * 1024).cutEvery(Duration.ofSeconds(10));
        try (Socket dead = connect(proxy); Socket halfClosedDead = connect(proxy)) {
            await().atMost(Duration.ofSeconds(5)).until(() -> proxy.connections() == 2);
            proxy.blackhole(true);
            senders.execute(() -> writeQuietly(dead, randomBytes(MIB)));
            halfClosedDead.shutdownOutput();
            proxy.blackhole(false);
            try (Socket throttled = connect(proxy)) {
                senders.execute(() -> writeQuietly(throttled, randomBytes(MIB)));
                await().atMost(Duration.ofSeconds(5)).until(() -> proxy.bytesForwarded(Direction.UPSTREAM) > 0);

                proxy.close();

                assertThat(Thread.getAllStackTraces().keySet())
                    .filteredOn(thread -> thread.getName().startsWith("fault-proxy") && thread.isAlive())
                    .isEmpty();
                assertThat(proxy.connections()).isZero();
                assertEndedByPeer(dead);
                assertEndedByPeer(throttled);
            }
        }
    }

    @Test
    void badSettingsAreRejectedWithTheirValue() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.port())) {
            assertThatThrownBy(() -> proxy.latency(Duration.ofMillis(100), Duration.ofMillis(200)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0.2S");
            assertThatThrownBy(() -> proxy.bandwidth(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
            assertThatThrownBy(() -> proxy.cutEvery(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        }
    }

    private static Socket connect(FaultProxy proxy) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        socket.setSoTimeout(10_000);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends the payload while reading the echo back, as a worker streams both ways at once. */
    private byte[] roundTrip(Socket socket, byte[] payload) throws Exception {
        Future<?> sent = senders.submit(() -> writeQuietly(socket, payload));
        byte[] back = socket.getInputStream().readNBytes(payload.length);
        sent.get(10, TimeUnit.SECONDS);
        return back;
    }

    private static void writeQuietly(Socket socket, byte[] payload) {
        try {
            socket.getOutputStream().write(payload);
        } catch (IOException e) {
            // the test then sees the connection end on its read side
        }
    }

    private static void assertEndedByPeer(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        try {
            int read;
            do {
                read = in.read();
            } while (read >= 0);
        } catch (SocketTimeoutException e) {
            fail("the connection stayed open for 5 s; expected an end of stream or a reset");
        } catch (SocketException e) {
            assertThat(e.getMessage()).containsIgnoringCase("reset");
        }
    }

    private static void assertNothingArrivesWithin(Socket socket, Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        assertThatThrownBy(() -> socket.getInputStream().read())
            .as("a read on a black-holed connection")
            .isInstanceOf(SocketTimeoutException.class);
        assertThat(socket.isClosed()).isFalse();
    }

    private static void awaitForwarded(FaultProxy proxy, Direction direction, long expected) {
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
            () -> assertThat(proxy.bytesForwarded(direction)).as("bytes forwarded " + direction).isEqualTo(expected));
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
