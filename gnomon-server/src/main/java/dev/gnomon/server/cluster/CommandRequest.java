package dev.gnomon.server.cluster;

/**
 * A command one server asks the owner of an app to carry out.
 *
 * @param kind       RUN, STOP or RETRY
 * @param appId      the app whose owner must carry it out
 * @param jobId      for RUN: the job
 * @param instanceId for STOP and RETRY: the instance
 * @param params     for RUN: the instance's parameters
 */
public record CommandRequest(Kind kind, long appId, Long jobId, Long instanceId, String params) {

    public enum Kind { RUN, STOP, RETRY }
}
