package dev.gnomon.server.store;

/** A guarded write did not land: this server no longer holds the app's lease at that epoch. */
public class FencedException extends RuntimeException {

    private final Fence fence;

    public FencedException(Fence fence) {
        super("lease of app " + fence.appId() + " at epoch " + fence.epoch() + " is no longer held by "
            + fence.ownerId() + "; the write was refused");
        this.fence = fence;
    }

    public Fence fence() {
        return fence;
    }
}
