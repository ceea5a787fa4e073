package dev.gnomon.server.cluster;

/** Told when this server starts or stops owning an app. */
public interface LeaseListener {

    void acquired(long appId, long epoch);

    void lost(long appId, long epoch);
}
