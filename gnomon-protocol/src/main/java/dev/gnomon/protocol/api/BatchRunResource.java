package dev.gnomon.protocol.api;

import java.util.List;

/** The instances a batch run created, in the order of the request's items. */
public record BatchRunResource(long jobId, List<Long> instanceIds) {
}
