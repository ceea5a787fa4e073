package dev.gnomon.protocol.api;

/**
 * How a BROADCAST job ends.
 *
 * @param rule          when the instance counts as succeeded; ALL when absent
 * @param threshold     with AT_LEAST a number of tasks (1 or more), with PERCENT a percentage (1-100)
 * @param postStep      run a post-step once after every worker's task ended: the job's processor's
 *                      {@code postBroadcast} hook, or {@code postProcessor} when given
 * @param postProcessor the processor the post-step runs, instead of the job's own
 */
public record BroadcastSpec(BroadcastRule rule, Integer threshold, Boolean postStep, String postProcessor) {

    public static BroadcastSpec all() {
        return new BroadcastSpec(BroadcastRule.ALL, null, false, null);
    }

    /** Whether a post-step runs after the broadcast tasks. */
    public boolean hasPostStep() {
        return Boolean.TRUE.equals(postStep) || postProcessor != null;
    }
}
