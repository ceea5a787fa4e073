package dev.gnomon.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Each figure's value per run, per system, and what went wrong in runs that gave none. */
final class Results {

    private final Map<String, Map<String, List<Double>>> values = new LinkedHashMap<>();
    private final Map<String, List<String>> notes = new LinkedHashMap<>();

    synchronized void add(String figure, String system, double value) {
        values.computeIfAbsent(figure, f -> new LinkedHashMap<>()).computeIfAbsent(system, s -> new ArrayList<>())
            .add(value);
        System.out.printf("  %-22s %-13s %.3f%n", figure, system, value);
    }

    synchronized void note(String figure, String system, String text) {
        notes.computeIfAbsent(figure + "|" + system, k -> new ArrayList<>()).add(text);
        System.out.println("  NOTE " + figure + " " + system + ": " + text);
    }

    synchronized List<Double> get(String figure, String system) {
        return values.getOrDefault(figure, Map.of()).getOrDefault(system, List.of());
    }

    synchronized List<String> notes(String figure, String system) {
        return notes.getOrDefault(figure + "|" + system, List.of());
    }

    synchronized String csv() {
        StringBuilder out = new StringBuilder("figure,system,run,value\n");
        values.forEach((figure, bySystem) -> bySystem.forEach((system, list) -> {
            for (int i = 0; i < list.size(); i++) {
                out.append(figure).append(',').append(system).append(',').append(i + 1).append(',')
                    .append(list.get(i)).append('\n');
            }
        }));
        return out.toString();
    }
}
