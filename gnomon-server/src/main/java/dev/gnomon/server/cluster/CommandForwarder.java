package dev.gnomon.server.cluster;

import java.io.IOException;

/** Carries a command to the server that owns the app, over a protocol that server advertised. */
public interface CommandForwarder {

    /**
     * @throws NotOwnerException          when that server no longer owns the app
     * @throws ForwardedProblemException  when it refused the command (unknown instance, wrong state)
     * @throws IOException                when it cannot be reached
     */
    CommandResult forward(String ownerId, CommandRequest command) throws IOException;
}
