/**
 * Java client for Gnomon's REST API.
 *
 * <pre>{@code
 * GnomonClient client = GnomonClient.builder()
 *     .baseUrl("http://127.0.0.1:7700")
 *     .token(System.getenv("GNOMON_TOKEN"))
 *     .build();
 * JobResource job = client.jobs().get(42);
 * InstanceResource run = client.jobs().run(job.id(), "--dry-run");
 * }</pre>
 *
 * Every call is synchronous and thread-safe. Failures are unchecked: a {@link
 * dev.gnomon.client.GnomonApiException} when the server answered with an error, a {@link
 * dev.gnomon.client.GnomonConnectionException} when it could not be reached.
 */
package dev.gnomon.client;
