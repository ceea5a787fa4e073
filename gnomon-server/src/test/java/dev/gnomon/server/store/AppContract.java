package dev.gnomon.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gnomon.protocol.LogLevel;
import dev.gnomon.protocol.LogLine;
import dev.gnomon.protocol.api.InstanceState;
import dev.gnomon.server.ConflictException;
import dev.gnomon.server.NotFoundException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Apps: names are unique, and deleting an app leaves nothing of it behind. */
interface AppContract extends StoreFixture {

    @Test
    default void createdAppIsFoundByNameAndId() {
        String name = unique("billing");

        AppRow created = stores().apps().create(name, "invoices", "hash-1", 5_000);

        assertThat(created.id()).isPositive();
        AppRow expected = new AppRow(created.id(), name, "invoices", "hash-1", 5_000);
        assertThat(stores().apps().find(name)).contains(expected);
        assertThat(stores().apps().get(name)).isEqualTo(expected);
        assertThat(stores().apps().byId(created.id())).contains(expected);
        assertThat(lease(created.id())).isEqualTo(new LeaseStore.Lease(created.id(), null, 0, 0));
    }

    @Test
    default void unknownAppIsNotFound() {
        assertThat(stores().apps().find(unique("nope"))).isEmpty();
        assertThatThrownBy(() -> stores().apps().get("no-such-app"))
            .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-app");
    }

    @Test
    default void duplicateNameIsAConflictAndStoresNothing() {
        String name = unique("dup");
        stores().apps().create(name, null, "h", 1);
        long before = stores().apps().count();

        assertThatThrownBy(() -> stores().apps().create(name, "other", "h2", 2))
            .isInstanceOf(ConflictException.class).hasMessageContaining(name);
        assertThat(stores().apps().count()).isEqualTo(before);
        assertThat(stores().apps().get(name).description()).isNull();
    }

    @Test
    default void namesDifferingOnlyInCaseAreDifferentApps() {
        String name = unique("payroll");
        long lower = stores().apps().create(name, null, "h", 1).id();

        long upper = stores().apps().create(name.toUpperCase(Locale.ROOT), null, "h", 1).id();

        assertThat(upper).isNotEqualTo(lower);
        assertThat(stores().apps().get(name).id()).isEqualTo(lower);
        assertThat(stores().apps().find(name.toUpperCase(Locale.ROOT))).map(AppRow::id).contains(upper);
    }

    @Test
    default void listIsOrderedByNameAndPaged() {
        long before = stores().apps().count();
        String prefix = unique("list");
        for (String suffix : List.of("c", "a", "b")) {
            stores().apps().create(prefix + "-" + suffix, null, "h", 1);
        }

        assertThat(stores().apps().count()).isEqualTo(before + 3);
        List<String> all = stores().apps().list(0, 10_000).stream().map(AppRow::name).toList();
        assertThat(all).isSorted();
        int first = all.indexOf(prefix + "-a");
        assertThat(stores().apps().list(first + 1, 2)).extracting(AppRow::name)
            .containsExactly(prefix + "-b", prefix + "-c");
    }

    @Test
    default void deleteRemovesEverythingTheAppHoldsAndNothingElse() {
        long appId = newApp();
        long otherAppId = newApp();
        Fence fence = own(appId);
        Fence otherFence = own(otherAppId);
        long jobId = newJob(appId).id();
        long instanceId = instance(fence, jobId, InstanceState.DISPATCHED);
        long taskId = task(fence, instanceId, "main", 1, "worker-1");
        stores().logs().append(taskId, 1, instanceId, List.of(new LogLine(1, Instant.ofEpochMilli(1), LogLevel.INFO, "hi")));
        stores().workers().connected(appId, "worker-1", "host", "10.0.0.1", "1.0", "shell", "", 4, SERVER_1, 1);
        long otherJobId = newJob(otherAppId).id();
        long otherInstanceId = instance(otherFence, otherJobId, InstanceState.WAITING);

        stores().apps().delete(appId);

        assertThat(stores().apps().byId(appId)).isEmpty();
        assertThat(stores().jobs().find(jobId)).isEmpty();
        assertThat(stores().instances().find(instanceId)).isEmpty();
        assertThat(stores().tasks().find(taskId)).isEmpty();
        assertThat(stores().logs().count(instanceId)).isZero();
        assertThat(stores().workers().count(appId)).isZero();
        assertThat(stores().leases().all()).extracting(LeaseStore.Lease::appId).doesNotContain(appId);
        assertThat(stores().jobs().find(otherJobId)).isPresent();
        assertThat(stores().instances().find(otherInstanceId)).isPresent();
        assertThat(lease(otherAppId).ownerId()).isEqualTo(SERVER_1);
    }
}
