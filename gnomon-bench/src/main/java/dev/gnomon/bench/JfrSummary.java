package dev.gnomon.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a recording says the time goes: samples per thread, the hottest methods, and, for each
 * sample, the innermost Gnomon method on the stack (so time in JDBC, Jackson or the driver is
 * charged to the Gnomon code that called it). Java samples and native samples (threads blocked
 * in socket reads, that is waiting for PostgreSQL) are counted apart.
 */
final class JfrSummary {

    private JfrSummary() {
    }

    static String summarize(Path recording, int top, java.time.Instant from, java.time.Instant to)
        throws IOException {
        Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
        for (String k : List.of("java.thread", "java.top", "java.gnomon", "native.thread", "native.gnomon")) {
            counts.put(k, new HashMap<>());
        }
        int java = 0;
        int nat = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            String type = e.getEventType().getName();
            boolean isJava = type.equals("jdk.ExecutionSample");
            if (!isJava && !type.equals("jdk.NativeMethodSample")
                || e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                continue;
            }
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            thread = thread == null ? "?" : thread.replaceAll("[0-9]+", "N");
            RecordedStackTrace st = e.getStackTrace();
            String kind = isJava ? "java" : "native";
            String gnomon = st == null ? null : st.getFrames().stream().filter(f -> f.isJavaFrame()
                    && f.getMethod().getType().getName().startsWith("dev.gnomon.")
                    && !f.getMethod().getType().getName().startsWith("dev.gnomon.bench."))
                .findFirst().map(JfrSummary::name).orElse(null);
            if (!isJava && gnomon == null) {
                continue; // idle selectors and pool threads parked in native code: not work
            }
            if (isJava) {
                java++;
            } else {
                nat++;
            }
            bump(counts.get(kind + ".thread"), thread);
            if (isJava && st != null && !st.getFrames().isEmpty()) {
                bump(counts.get("java.top"), name(st.getFrames().get(0)));
            }
            bump(counts.get(kind + ".gnomon"), gnomon == null ? "(no Gnomon frame)" : gnomon);
        }
        StringBuilder out = new StringBuilder();
        out.append("Java execution samples: ").append(java).append("; native samples under Gnomon code"
            + " (socket reads: waiting on PostgreSQL or a worker): ").append(nat).append("\n\n");
        section(out, "Java samples by thread", counts.get("java.thread"), java, top);
        section(out, "Hottest methods (Java samples, top frame)", counts.get("java.top"), java, top);
        section(out, "Java samples by innermost Gnomon method", counts.get("java.gnomon"), java, top);
        section(out, "Native samples by thread", counts.get("native.thread"), nat, top);
        section(out, "Native samples by innermost Gnomon method", counts.get("native.gnomon"), nat, top);
        return out.toString();
    }

    private static void bump(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }

    private static String name(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
    }

    private static void section(StringBuilder out, String title, Map<String, Integer> m, int total, int top) {
        out.append("| ").append(title).append(" | samples | share |\n| --- | ---: | ---: |\n");
        out.append(m.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(top)
            .map(e -> String.format(java.util.Locale.ROOT, "| `%s` | %d | %.1f %% |", e.getKey(), e.getValue(),
                100.0 * e.getValue() / Math.max(1, total)))
            .collect(Collectors.joining("\n")));
        out.append("\n\n");
    }
}
