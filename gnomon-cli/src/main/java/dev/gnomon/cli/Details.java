package dev.gnomon.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** One resource as "key: value" lines, values aligned. */
final class Details {

    private record Entry(String key, String value) {
    }

    private final List<Entry> entries = new ArrayList<>();

    Details add(String key, Object value) {
        entries.add(new Entry(key, Format.cell(value)));
        return this;
    }

    void print(PrintWriter out) {
        int width = entries.stream().mapToInt(e -> e.key().length()).max().orElse(0);
        for (Entry entry : entries) {
            String value = entry.value().replace("\n", "\n" + " ".repeat(width + 2));
            out.println(entry.key() + ":" + " ".repeat(width - entry.key().length() + 1) + value);
        }
    }
}
