package dev.gnomon.server.dispatch;

import dev.gnomon.protocol.api.TriggerKind;
import dev.gnomon.server.ConflictException;
import dev.gnomon.server.UnavailableException;
import dev.gnomon.server.cluster.CommandForwarder;
import dev.gnomon.server.cluster.CommandRequest;
import dev.gnomon.server.cluster.CommandResult;
import dev.gnomon.server.cluster.LeaseKeeper;
import dev.gnomon.server.cluster.NotOwnerException;
import dev.gnomon.server.store.AppStore;
import dev.gnomon.server.store.DuplicateRunException;
import dev.gnomon.server.store.LeaseStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Commands from the API (run now, once or as a batch, stop, retry), routed by the app's lease at the moment of the
 * call (decision 3): carried out here when this server owns the app, otherwise forwarded to the
 * owner; when ownership moves during the call, looked up again and tried once more.
 */
public final class Commands {

    private static final long WAIT_SECONDS = 15;
    private static final long OWNER_WAIT_MS = 3000;

    private final DispatchLoop loop;
    private final InstanceCommands commands;
    private final RunNowStart runNow;
    private final Runnable dispatchPass;
    private final LeaseKeeper leases;
    private final LeaseStore leaseStore;
    private final AppStore apps;
    private final CommandForwarder forwarder;

    /** {@code dispatchPass} is the dispatcher's pass, the same instance the other wakers coalesce. */
    public Commands(DispatchLoop loop, InstanceCommands commands, Dispatcher dispatcher, Runnable dispatchPass,
                    LeaseKeeper leases, LeaseStore leaseStore, AppStore apps, CommandForwarder forwarder) {
        this.loop = loop;
        this.commands = commands;
        this.runNow = dispatcher.runNowStart(loop);
        this.dispatchPass = dispatchPass;
        this.leases = leases;
        this.leaseStore = leaseStore;
        this.apps = apps;
        this.forwarder = forwarder;
    }

    /** Carries the command out, here or on the owner; returns the instance it made or changed. */
    public long route(CommandRequest command) {
        return carry(command).instanceId();
    }

    /** Carries the command out, here or on the owner; returns every instance it made or changed. */
    public CommandResult carry(CommandRequest command) {
        List<String> tried = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            if (leases.fence(command.appId()).isPresent()) {
                try {
                    return local(command);
                } catch (NotOwnerException e) {
                    tried.add(leases.serverId() + " (lost the lease during the call)");
                    continue;
                }
            }
            Optional<String> owner = awaitOwner(command.appId());
            if (owner.isEmpty()) {
                tried.add("none (no server holds the app's lease)");
                break;
            }
            if (owner.get().equals(leases.serverId())) {
                continue;
            }
            // once forwarded it may be carried out again (its answer lost): from then on it holds a key
            command = command.forwarded();
            try {
                return forwarder.forward(owner.get(), command);
            } catch (NotOwnerException e) {
                tried.add(owner.get() + " (no longer the owner)");
            } catch (IOException e) {
                tried.add(owner.get() + " (" + e.getMessage() + ")");
            }
        }
        String app = apps.byId(command.appId()).map(a -> "'" + a.name() + "'").orElse("#" + command.appId());
        throw new UnavailableException("the owner of app " + app + " could not be reached to " 
            + command.kind().name().toLowerCase(java.util.Locale.ROOT) + "; servers tried: " + String.join(", ", tried)
            + ". Try again in a few seconds.");
    }

    private Optional<String> awaitOwner(long appId) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(OWNER_WAIT_MS);
        while (true) {
            Optional<String> owner = leaseStore.owner(appId);
            if (owner.isPresent() || System.nanoTime() > deadline) {
                return owner;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Carries the command out on this server, which must own the app. */
    public CommandResult local(CommandRequest command) {
        if (leases.fence(command.appId()).isEmpty()) {
            throw new NotOwnerException("server " + leases.serverId() + " does not own app " + command.appId());
        }
        return switch (command.kind()) {
            // On an idle loop with a free worker, one run is recorded already started (RunNowStart).
            // Otherwise a new instance changes nothing the loop holds: record it on the caller's
            // thread, so many callers do not queue behind dispatch work, then wake the dispatcher.
            case RUN, RUN_BATCH -> {
                if (command.requestKey() == null) {
                    yield run(command);
                }
                // A call sent again with its key (its answer was lost) is refused by the key's unique
                // index, or before that by the job's overlap SKIP, since the first call's instance is
                // live; it then gets what the first call made. The first call needs no extra read.
                try {
                    yield run(command);
                } catch (ConflictException e) {
                    Optional<CommandResult> earlier = earlier(command);
                    if (earlier.isPresent()) {
                        yield earlier.get();
                    }
                    if (e instanceof DuplicateRunException) {
                        throw new ConflictException("a run of job " + command.jobId() + " with Idempotency-Key '"
                            + command.requestKey() + "' is being recorded; try again");
                    }
                    throw e;
                }
            }
            case STOP -> new CommandResult(call(() -> commands.stop(command.instanceId()).id()));
            case RETRY -> new CommandResult(call(() -> commands.retry(command.instanceId())));
        };
    }

    private CommandResult run(CommandRequest command) {
        boolean batch = command.kind() == CommandRequest.Kind.RUN_BATCH;
        if (!batch) {
            Optional<RunNowStart.Started> started = runNow.run(command.appId(), command.jobId(), command.params(),
                command.requestKey());
            if (started.isPresent()) {
                RunNowStart.Started s = started.get();
                return CommandResult.dispatched(s.instanceId(), s.createdAt(), s.maxAttempts(), s.workerId());
            }
        }
        InstanceCommands.Made made = commands.runNow(command.jobId(), command.runParams(), TriggerKind.API,
            command.requestKey());
        // Without a free slot a pass would start nothing: a worker that connects or frees a
        // slot queues one itself, and the periodic pass notes why the new instances wait.
        if (runNow.roomIn(command.appId())) {
            loop.coalesce(dispatchPass);
        }
        return CommandResult.made(made.ids(), made.createdAt(), made.maxAttempts());
    }

    private Optional<CommandResult> earlier(CommandRequest command) {
        return commands.earlier(command.jobId(), command.runParams(), command.requestKey()).map(CommandResult::of);
    }

    private <T> T call(Callable<T> step) {
        try {
            T result = loop.submit(step).get(WAIT_SECONDS, TimeUnit.SECONDS);
            loop.coalesce(dispatchPass);
            return result;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException("the server is too busy to run the command within " + WAIT_SECONDS
                + " s; try again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while running the command");
        }
    }
}
