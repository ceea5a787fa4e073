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
 * @param requestKey for RUN and RUN_BATCH: the call's idempotency key, or null. A call repeated with
 *                   the same key answers the instances the first one made and makes none.
 */
public record CommandRequest(Kind kind, long appId, Long jobId, Long instanceId, String params, List<String> batch,
                             String requestKey) {

    public enum Kind { RUN, RUN_BATCH, STOP, RETRY }

    public CommandRequest(Kind kind, long appId, Long jobId, Long instanceId, String params) {
        this(kind, appId, jobId, instanceId, params, null, null);
    }

    /**
     * This command as it is forwarded to the owner: a run gets a key of its own when the caller gave
     * none, so that sending it again, when the owner's answer was lost on the way, makes nothing twice.
     */
    public CommandRequest forwarded() {
        if (requestKey != null || kind == Kind.STOP || kind == Kind.RETRY) {
            return this;
        }
        return new CommandRequest(kind, appId, jobId, instanceId, params, batch,
            "fwd:" + java.util.UUID.randomUUID());
    }

    /** The parameters of each instance a RUN or RUN_BATCH makes, in order. */
    public List<String> runParams() {
        return kind == Kind.RUN_BATCH ? batch : java.util.Collections.singletonList(params);
    }
}
