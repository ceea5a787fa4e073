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
                return declared(group + "/" + artifact);
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (java.io.IOException e) {
            return "(version unknown)";
        }
    }

    /** The version the bench's pom resolved, for a jar without {@code pom.properties} (JobRunr's). */
    private static String declared(String key) {
        try (InputStream in = Versions.class.getResourceAsStream("/peer-versions.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty(key, "(version unknown)");
        } catch (java.io.IOException e) {
            return "(version unknown)";
        }
    }
}
