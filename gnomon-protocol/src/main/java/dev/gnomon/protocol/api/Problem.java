package dev.gnomon.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An error body as RFC 9457 ({@code application/problem+json}).
 *
 * @param type   a URI naming the kind of problem
 * @param title  a short summary of the kind
 * @param status the HTTP status
 * @param detail what was wrong and what would be right
 * @param field  the request field at fault, when one is
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {
}
