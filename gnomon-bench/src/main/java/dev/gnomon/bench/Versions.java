package dev.gnomon.bench;

import java.io.InputStream;
import java.util.Properties;

/** The version of a library on the class path, from the pom.properties its jar carries. */
final class Versions {

    private Versions() {
    }

    static String of(String group, String artifact) {
        try (InputStream in = Versions.class.getResourceAsStream(
            "/META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
            if (in == null) {
                return "(version unknown)";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (java.io.IOException e) {
            return "(version unknown)";
        }
    }
}
