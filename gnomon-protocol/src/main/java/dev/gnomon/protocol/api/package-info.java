/**
 * Resources of the REST API under {@code /api/v1}: what the server answers and what the
 * client sends. Kept apart from the worker channel's messages and from stored rows.
 */
package dev.gnomon.protocol.api;
