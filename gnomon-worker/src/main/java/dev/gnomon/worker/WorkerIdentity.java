package dev.gnomon.worker;

/** Who the worker says it is in its hello. */
record WorkerIdentity(String app, String secret, String workerId, String host, String version) {
}
