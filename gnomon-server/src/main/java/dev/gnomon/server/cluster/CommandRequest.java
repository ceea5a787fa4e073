package dev.gnomon.server.cluster;

import java.util.List;

/**
 * A command one server asks the owner of an app to carry out.
 *
 * @param kind       RUN, RUN_BATCH, STOP or RETRY
 * @param appId      the app whose owner must carry it out
 * @param jobId      for RUN and RUN_BATCH: the job
 * @param instanceId for STOP and RETRY: the instance
 * @param params     for RUN: the instance's parameters
 * @param batch      for RUN_BATCH: each new instance's parameters (an item may be null: the job's own)
 */
public record CommandRequest(Kind kind, long appId, Long jobId, Long instanceId, String params, List<String> batch) {

    public enum Kind { RUN, RUN_BATCH, STOP, RETRY }

    public CommandRequest(Kind kind, long appId, Long jobId, Long instanceId, String params) {
        this(kind, appId, jobId, instanceId, params, null);
    }
}
