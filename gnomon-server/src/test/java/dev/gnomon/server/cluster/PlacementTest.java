package dev.gnomon.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static List<Long> apps(int n) {
        return LongStream.rangeClosed(1, n).boxed().toList();
    }

    private static Map<String, Long> loads(Map<Long, String> placement) {
        return placement.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void thirtyAppsOnThreeServersGiveTenEach() {
        Map<Long, String> p = Placement.assign(apps(30), List.of("server-a", "server-b", "server-c"));
        assertThat(p).hasSize(30);
        assertThat(loads(p)).containsOnlyKeys("server-a", "server-b", "server-c").allSatisfy((s, n) -> assertThat(n).isEqualTo(10));
    }

    @Test
    void theOrderOfTheServerListDoesNotMatter() {
        List<String> servers = new ArrayList<>(List.of("s1", "s2", "s3", "s4", "s5"));
        Map<Long, String> first = Placement.assign(apps(97), servers);
        Random random = new Random(7);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(servers, random);
            List<Long> shuffledApps = new ArrayList<>(apps(97));
            Collections.shuffle(shuffledApps, random);
            assertThat(Placement.assign(shuffledApps, servers)).isEqualTo(first);
        }
    }

    @Test
    void noServerCarriesMoreThanItsShareRoundedUp() {
        for (int servers = 1; servers <= 7; servers++) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                names.add("host-" + i);
            }
            Map<Long, String> p = Placement.assign(apps(50), names);
            int cap = (50 + servers - 1) / servers;
            assertThat(loads(p).values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(cap));
            assertThat(p).hasSize(50);
        }
    }

    @Test
    void aJoiningServerTakesAboutItsShareAndMovesLittleElse() {
        Map<Long, String> before = Placement.assign(apps(300), List.of("a", "b", "c"));
        Map<Long, String> after = Placement.assign(apps(300), List.of("a", "b", "c", "d"));
        long moved = before.keySet().stream().filter(app -> !before.get(app).equals(after.get(app))).count();
        long toNewcomer = after.values().stream().filter("d"::equals).count();
        assertThat(toNewcomer).isEqualTo(75);
        assertThat(moved).isLessThan(150);
    }

    @Test
    void aServerThatLeavesHasItsAppsSpreadOverTheRest() {
        Map<Long, String> before = Placement.assign(apps(30), List.of("a", "b", "c"));
        Map<Long, String> after = Placement.assign(apps(30), List.of("a", "b"));
        assertThat(loads(after)).containsOnlyKeys("a", "b").allSatisfy((s, n) -> assertThat(n).isEqualTo(15));
        assertThat(before.entrySet().stream().filter(e -> !e.getValue().equals("c"))
            .filter(e -> !e.getValue().equals(after.get(e.getKey()))).count()).isLessThanOrEqualTo(5);
    }

    @Test
    void noServersMeansNoOwner() {
        assertThat(Placement.assign(apps(3), List.of())).isEmpty();
    }
}
