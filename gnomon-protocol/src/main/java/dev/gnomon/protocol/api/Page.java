package dev.gnomon.protocol.api;

import java.util.List;

/** One page of a list, with the total number of items that match. */
public record Page<T>(List<T> items, long total, int offset, int limit) {
}
