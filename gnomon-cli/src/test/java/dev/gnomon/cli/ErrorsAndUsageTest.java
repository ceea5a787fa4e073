package dev.gnomon.cli;

import dev.gnomon.client.FakeServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErrorsAndUsageTest {

    FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = FakeServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aProblemPrintsDetailAndFieldAndExitsWith1() {
        server.respond("POST", "/api/v1/jobs", 400, """
            {"title":"Invalid input","status":400,"detail":"cron field 'hour' is 25; allowed 0-23","field":"schedule.cron"}""");

        Cli.Result result = Cli.against(server, "job", "create", "--app", "a", "--name", "n", "--processor", "shell",
            "--cron", "0 0 25 * * ?");

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: cron field 'hour' is 25; allowed 0-23\nfield: schedule.cron\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void anUnreachableServerExitsWith3() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Cli.Result result = Cli.run("app", "list", "--url", "http://127.0.0.1:" + port);

        assertThat(result.exit()).isEqualTo(3);
        assertThat(result.err()).startsWith("error: cannot reach Gnomon at http://127.0.0.1:" + port + "/api/v1/apps");
    }

    @Test
    void aMissingRequiredOptionIsNamed() {
        Cli.Result result = Cli.against(server, "job", "create", "--name", "n", "--processor", "shell", "--every", "5m");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("error: Missing required option: '--app=APP'", "gnomon job create --help");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void twoSchedulesAreRefused() {
        Cli.Result result = Cli.against(server, "job", "create", "--app", "a", "--name", "n", "--processor", "shell",
            "--every", "5m", "--cron", "* * * * *");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--every", "--cron", "mutually exclusive");
    }

    @Test
    void aScheduleIsRequiredOnCreate() {
        Cli.Result result = Cli.against(server, "job", "create", "--app", "a", "--name", "n", "--processor", "shell");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--every", "--api-only");
    }

    @Test
    void badValuesNameTheOptionAndTheChoices() {
        Cli.Result misfire = Cli.against(server, "job", "update", "1", "--misfire", "sometimes");
        Cli.Result every = Cli.against(server, "job", "update", "1", "--every", "often");
        Cli.Result bound = Cli.against(server, "job", "update", "1", "--misfire-bound", "0");
        Cli.Result zone = Cli.against(server, "job", "update", "1", "--cron", "* * * * *", "--tz", "Mars/Olympus");

        assertThat(misfire.exit()).isEqualTo(2);
        assertThat(misfire.err()).contains("'--misfire'", "fire-once, skip, fire-all");
        assertThat(every.err()).contains("'--every'", "PT30S");
        assertThat(bound.err()).contains("'--misfire-bound'", "less than 1");
        assertThat(zone.err()).contains("'--tz'", "IANA");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void unknownOptionsAndMissingSubcommandsAreUsageErrors() {
        Cli.Result unknown = Cli.against(server, "app", "list", "--colour");
        Cli.Result group = Cli.run("job");
        Cli.Result top = Cli.run();

        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option: '--colour'");
        assertThat(group.exit()).isEqualTo(2);
        assertThat(group.err()).contains("choose one of: create, update, list");
        assertThat(top.exit()).isEqualTo(2);
        assertThat(top.err()).contains("Usage: gnomon", "instance");
    }

    @Test
    void aBadUrlOrTwoKindsOfCredentialsAreUsageErrors() {
        Cli.Result url = Cli.run("app", "list", "--url", "localhost:7700");
        Cli.Result both = Cli.run("app", "list", "--url", server.url(), "--token", "t", "--user", "u", "--password", "p");

        assertThat(url.exit()).isEqualTo(2);
        assertThat(url.err()).contains("'--url'");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--token", "--user", "not both");
    }

    @Test
    void basicAuthAndTheUrlFromTheEnvironmentName() {
        server.respond("GET", "/api/v1/apps", 200, Fixtures.page());
        // picocli reads ${GNOMON_URL} from system properties before the environment.
        System.setProperty("GNOMON_URL", server.url());
        try {
            Cli.Result result = Cli.run("app", "list", "--user", "admin", "--password", "secret");

            assertThat(result.exit()).isZero();
            assertThat(server.last().header("Authorization")).isEqualTo("Basic YWRtaW46c2VjcmV0");
        } finally {
            System.clearProperty("GNOMON_URL");
        }
    }

    @Test
    void versionComesFromTheManifestOrSaysDev() {
        Cli.Result result = Cli.run("--version");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("gnomon dev\n");
    }
}
