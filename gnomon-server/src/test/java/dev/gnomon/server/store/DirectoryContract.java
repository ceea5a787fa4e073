package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.Endpoint;
import dev.gnomon.protocol.WorkerHeartbeat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Who is there: workers as last seen, users and their tokens, servers and their endpoints. */
interface DirectoryContract extends StoreFixture {

    @Test
    default void workerIsRecordedOnHelloAndUpdatedOnReconnect() {
        long appId = newApp();

        stores().workers().connected(appId, "w-1", "host-a", "10.0.0.1:1", "1.0", "shell,http", "gpu,linux", 4,
            SERVER_1, 1_000);
        stores().workers().connected(appId, "w-1", "host-b", "10.0.0.2:1", "1.1", "shell", "gpu", 8, SERVER_2, 2_000);

        assertThat(stores().workers().list(appId, 0, 10)).containsExactly(new WorkerRow(appId, "w-1", "host-b",
            "10.0.0.2:1", "1.1", "shell", "gpu", "ONLINE", SERVER_2, 2_000L, 2_000L, null, null, null, null, 0, 8));
    }

    @Test
    default void heartbeatRecordsTheWorkersLoad() {
        long appId = newApp();
        stores().workers().connected(appId, "w-1", "host", "addr", "1.0", "shell", "", 4, SERVER_1, 1_000);
        stores().workers().state(appId, "w-1", "SUSPECT");

        stores().workers().heartbeat(appId, "w-1",
            new WorkerHeartbeat(Instant.EPOCH, 0.75, 16, 1L << 33, 1L << 34, 3, 10), 5_000);

        WorkerRow row = stores().workers().list(appId, 0, 10).get(0);
        assertThat(row.state()).isEqualTo("ONLINE");
        assertThat(row.heartbeatAt()).isEqualTo(5_000L);
        assertThat(row.cpuLoad()).isEqualTo(0.75);
        assertThat(row.cpuCount()).isEqualTo(16);
        assertThat(row.memoryUsed()).isEqualTo(1L << 33);
        assertThat(row.memoryMax()).isEqualTo(1L << 34);
        assertThat(row.runningTasks()).isEqualTo(3);
        assertThat(row.maxTasks()).isEqualTo(10);
        assertThat(row.connectedAt()).isEqualTo(1_000L);
    }

    @Test
    default void workersAreListedAndCountedByApp() {
        long appId = newApp();
        long otherAppId = newApp();
        for (String id : List.of("w-c", "w-a", "w-b", "W-A")) {
            stores().workers().connected(appId, id, "h", "a", "1.0", "shell", "", 1, SERVER_1, 1);
        }
        stores().workers().connected(otherAppId, "w-a", "h", "a", "1.0", "shell", "", 1, SERVER_1, 1);

        assertThat(stores().workers().count(appId)).isEqualTo(4);
        assertThat(stores().workers().count(otherAppId)).isEqualTo(1);
        assertThat(stores().workers().count(null)).isGreaterThanOrEqualTo(4);
        assertThat(stores().workers().list(appId, 0, 10)).extracting(WorkerRow::id)
            .containsExactlyInAnyOrder("W-A", "w-a", "w-b", "w-c");
        assertThat(stores().workers().list(appId, 2, 5)).extracting(WorkerRow::id).containsExactly("w-b", "w-c");
        assertThat(stores().workers().list(null, 0, 10_000)).extracting(WorkerRow::appId).contains(appId, otherAppId);
    }

    @Test
    default void usersAreFoundByNameAndByTokenHashWhichRecordsTheUseAtMostOncePerResolution() {
        long before = stores().users().count();
        String name = unique("alice");
        long userId = stores().users().create(name, "pw-hash", "ADMIN", 1_000);
        String tokenHash = unique("token-hash");
        long tokenId = stores().users().createToken(userId, "ci", tokenHash, 1_000);
        UserStore.User alice = new UserStore.User(userId, name, "pw-hash", "ADMIN");
        long resolution = UserStore.TOKEN_USE_RESOLUTION_MS;

        assertThat(stores().users().count()).isEqualTo(before + 1);
        assertThat(stores().users().byName(name)).contains(alice);
        assertThat(stores().users().byName(unique("nobody"))).isEmpty();
        assertThat(lastUsed(tokenId)).isNull();
        assertThat(stores().users().byTokenHash(tokenHash, 7_000)).contains(alice);
        assertThat(lastUsed(tokenId)).as("the first use is recorded").isEqualTo(7_000L);
        assertThat(stores().users().byTokenHash(tokenHash, 7_000 + resolution - 1)).contains(alice);
        assertThat(lastUsed(tokenId)).as("a use within the resolution is not written again").isEqualTo(7_000L);
        assertThat(stores().users().byTokenHash(tokenHash, 7_000 + resolution)).contains(alice);
        assertThat(lastUsed(tokenId)).as("a use once the resolution has passed is").isEqualTo(7_000L + resolution);
        assertThat(stores().users().byTokenHash(unique("unknown"), 9_000_000)).isEmpty();
        assertThat(lastUsed(tokenId)).isEqualTo(7_000L + resolution);
    }

    @Test
    default void serverRegistrationReplacesItsEndpoints() {
        String id = unique("server");
        long before = db().nowMillis();
        stores().servers().register(id, "0.1", List.of(new Endpoint("http", "a.example", 7700),
            new Endpoint("grpc", "a.example", 7701)));

        stores().servers().register(id, "0.2", List.of(new Endpoint("http", "b.example", 8800)));

        assertThat(stores().servers().endpoints(id)).containsExactly(new Endpoint("http", "b.example", 8800));
        assertThat(countRows("SELECT COUNT(*) FROM servers WHERE id = ? AND version = '0.2' AND started_at >= ?",
            id, before)).isEqualTo(1);

        stores().servers().remove(id);

        assertThat(stores().servers().endpoints(id)).isEmpty();
        assertThat(countRows("SELECT COUNT(*) FROM servers WHERE id = ?", id)).isZero();
    }

    @Test
    default void serverHeartbeatUsesTheDatabaseClock() {
        String id = unique("server");
        stores().servers().register(id, "0.1", List.of());
        long before = db().nowMillis();

        stores().servers().heartbeat(id);

        assertThat(countRows("SELECT heartbeat_at FROM servers WHERE id = ?", id))
            .isBetween(before, db().nowMillis());
    }

    private Long lastUsed(long tokenId) {
        return db().jdbi().withHandle(h -> h.createQuery("SELECT last_used_at FROM api_tokens WHERE id = :id")
            .bind("id", tokenId).mapTo(Long.class).one());
    }

    @Test
    default void aClusterSettingIsStoredOnceAndSharedByEveryServer() {
        ClusterSettingsStore settings = new ClusterSettingsStore(db());
        String first = settings.getOrCreate("cluster-secret-test", () -> "first");
        String second = settings.getOrCreate("cluster-secret-test", () -> "second");
        assertThat(first).isEqualTo("first");
        assertThat(second).isEqualTo("first");
    }
}
