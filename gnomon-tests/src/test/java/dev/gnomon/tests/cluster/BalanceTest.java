package dev.gnomon.tests.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.client.GnomonClient;
import dev.gnomon.protocol.api.InstanceResource;
import dev.gnomon.protocol.api.JobResource;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.server.cluster.Placement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Apps spread evenly over the live servers, and a server that joins takes its share through
 * graceful hand-overs that neither double nor skip a tick.
 */
class BalanceTest {

    private static final int APPS = 30;

    @Test
    void thirtyAppsSpreadEvenlyAndAJoiningServerTakesItsShareWithoutLosingATick() throws Exception {
        try (ClusterFixture c = ClusterFixture.create(Map.of())) {
            List<ClusterServer> servers = c.startServers("s1", "s2", "s3");
            GnomonClient client = servers.get(0).client();
            Map<String, Long> appIds = new LinkedHashMap<>();
            for (int i = 1; i <= APPS; i++) {
                String name = String.format("app-%02d", i);
                appIds.put(name, client.apps().create(name, "balance test").app().id());
            }

            Map<String, List<String>> three = awaitPlacement(servers.get(1), 3, 10);
            System.out.println("[BalanceTest] 3 servers: " + counts(three));
            assertThat(three.values()).allSatisfy(apps -> assertThat(apps).hasSizeBetween(8, 12));
            assertThat(three.values()).as("bounded loads: ceil(30/3) each").allSatisfy(apps -> assertThat(apps).hasSize(10));

            // an app the placement moves to s4 once it joins: the one whose ticks are watched
            Map<Long, String> after = Placement.assign(new ArrayList<>(appIds.values()), List.of("s1", "s2", "s3", "s4"));
            String moved = appIds.entrySet().stream().filter(e -> "s4".equals(after.get(e.getValue())))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
            String before = ClusterFixture.owner(servers.get(0), moved).orElseThrow().serverId();
            JobResource job = client.jobs().create(Ticks.everySecond(moved, "every-second",
                ScheduleSpec.fixedRate(Ticks.EVERY)));
            Ticks.await(client, job.id(), 3, i -> true);

            Instant joining = Instant.now();
            c.startServers("s4");
            Map<String, List<String>> four = awaitPlacement(servers.get(2), 4, 8);
            System.out.println("[BalanceTest] 4 servers: " + counts(four) + "; " + moved + " moved from " + before
                + " to s4 within " + Duration.between(joining, Instant.now()).toMillis() + " ms of starting s4");
            assertThat(four.get("s4")).as("the joining server's share").hasSizeBetween(7, 8).contains(moved);
            assertThat(four.values()).allSatisfy(apps -> assertThat(apps).hasSizeLessThanOrEqualTo(8));
            Instant movedAt = Instant.now();

            List<InstanceResource> ticks = Ticks.await(client, job.id(), 3, i -> i.createdAt().isAfter(movedAt));
            System.out.println("[BalanceTest] ticks across the move:" + Ticks.describe(ticks));
            Ticks.assertGapFree(ticks);
            assertThat(ticks).filteredOn(i -> i.scheduledAt().isBefore(movedAt))
                .as("ticks due during the hand-over fired, late at most by the hand-over")
                .allSatisfy(i -> assertThat(Duration.between(i.scheduledAt(), i.createdAt()))
                    .isLessThan(Duration.ofSeconds(5)));
        }
    }

    /** Waits until all apps are owned by {@code servers} servers, none above {@code max}; returns who owns what. */
    private static Map<String, List<String>> awaitPlacement(ClusterServer via, int servers, int max)
        throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, List<String>> now = Map.of();
        while (System.nanoTime() < deadline) {
            now = ClusterFixture.ownership(via);
            int owned = now.values().stream().mapToInt(List::size).sum();
            boolean even = now.values().stream().allMatch(apps -> apps.size() <= max);
            if (now.size() == servers && owned == APPS && even && now.values().stream().noneMatch(List::isEmpty)) {
                return now;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("apps not placed on " + servers + " servers within 30 s: " + counts(now));
    }

    private static Map<String, Integer> counts(Map<String, List<String>> ownership) {
        Map<String, Integer> out = new LinkedHashMap<>();
        ownership.forEach((s, apps) -> out.put(s, apps.size()));
        return out;
    }
}
