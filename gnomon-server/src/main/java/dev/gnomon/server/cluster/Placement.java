package dev.gnomon.server.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which live server should own each app: rendezvous hashing with bounded loads. Each app ranks
 * the servers by a hash of (server, app); apps, taken in id order, go to their best-ranked
 * server that still has room, with room for ceil(apps / servers) each. The result depends only on
 * the set of apps and the set of servers, never on the order a list gives them in, so every
 * server computes the same placement; and a server that joins or leaves moves few apps.
 */
public final class Placement {

    private Placement() {
    }

    public static Map<Long, String> assign(List<Long> appIds, List<String> servers) {
        List<String> sortedServers = new ArrayList<>(new TreeSet<>(servers));
        Map<Long, String> out = new HashMap<>();
        if (sortedServers.isEmpty()) {
            return out;
        }
        List<Long> apps = new ArrayList<>(new TreeSet<>(appIds));
        int capacity = (apps.size() + sortedServers.size() - 1) / sortedServers.size();
        Map<String, Integer> load = new HashMap<>();
        long[] serverSeeds = sortedServers.stream().mapToLong(Placement::seed).toArray();
        for (long app : apps) {
            List<Integer> ranked = new ArrayList<>();
            for (int i = 0; i < sortedServers.size(); i++) {
                ranked.add(i);
            }
            ranked.sort(Comparator.comparingLong((Integer i) -> score(serverSeeds[i], app)).reversed()
                .thenComparing(i -> sortedServers.get(i)));
            for (int i : ranked) {
                String server = sortedServers.get(i);
                if (load.getOrDefault(server, 0) < capacity) {
                    out.put(app, server);
                    load.merge(server, 1, Integer::sum);
                    break;
                }
            }
        }
        return out;
    }

    private static long seed(String server) {
        long h = 0xcbf29ce484222325L;
        for (byte b : server.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }

    /** A 64-bit mix (splitmix64 finaliser) of the server's seed and the app id. */
    static long score(long serverSeed, long app) {
        long z = serverSeed ^ (app * 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
