package dev.gnomon.worker;

import java.util.Set;

/** Who the worker says it is in its hello. */
record WorkerIdentity(String app, String secret, String workerId, String host, String version, Set<String> tags) {
}
