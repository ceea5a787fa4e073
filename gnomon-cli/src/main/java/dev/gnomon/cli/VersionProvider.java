package dev.gnomon.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the runnable jar's manifest; a build from an IDE or classes directory says "dev". */
final class VersionProvider implements IVersionProvider {

    static String version() {
        String version = Gnomon.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "gnomon " + version(),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")",
        };
    }
}
