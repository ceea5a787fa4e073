/**
 * The Gnomon worker SDK: build a {@link dev.gnomon.worker.GnomonWorker}, register
 * {@link dev.gnomon.worker.Processor}s, start it. Subpackages hold its parts: {@code channel}
 * (the connection to the server, reports, heartbeats), {@code log} (the log spool),
 * {@code task} (running tasks), {@code shell} (the built-in shell processor), {@code transport}
 * (the http transport) and {@code agent} (the standalone worker).
 */
package dev.gnomon.worker;
