package dev.gnomon.tests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks that an answer is an RFC 9457 problem document with the expected status and field. */
final class Problems {

    private Problems() {
    }

    /** Asserts the problem shape and returns its detail, for further checks on the wording. */
    static String assertProblem(RawHttp.Reply reply, int status, String field) {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
        assertThat(reply.contentType()).as("content type of %s", reply).startsWith("application/problem+json");
        JsonNode p = reply.json();
        assertThat(p.path("type").asText()).as("type of %s", reply).isNotBlank();
        assertThat(p.path("title").asText()).as("title of %s", reply).isNotBlank();
        assertThat(p.path("status").asInt()).as("status field of %s", reply).isEqualTo(status);
        assertThat(p.path("detail").asText()).as("detail of %s", reply).isNotBlank();
        if (field != null) {
            assertThat(p.path("field").asText()).as("field of %s", reply).isEqualTo(field);
        }
        return p.path("detail").asText();
    }
}
