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
import org.junit.jupiter.api.Test;

/** Jobs: definitions, unique names per app, due jobs and the fenced next fire time. */
interface JobContract extends StoreFixture {

    @Test
    default void createdJobReadsBackEqualAndUpdatesReplaceTheDefinition() {
        long appId = newApp();
        JobRow created = stores().jobs().create(jobRow(appId, unique("report"), true, 50_000L));

        assertThat(created.id()).isPositive();
        assertThat(stores().jobs().get(created.id())).isEqualTo(created);

        JobRow changed = new JobRow(created.id(), appId, unique("renamed"), null, false, "shell", null, "FIXED_RATE",
            null, null, 5_000L, 7L, 8L, 9L, "SKIP", 0, "BROADCAST", 3, "QUEUE", 0, "FIXED", 10, 20, 30, null, 1_000,
            2_000, "{\"strategy\":\"RANDOM\"}", "[\"a\",\"b\"]", "{\"rule\":\"ALL\"}");
        assertThat(stores().jobs().update(changed)).isEqualTo(changed);
        assertThat(stores().jobs().get(created.id())).isEqualTo(changed);
    }

    @Test
    default void missingJobIsNotFound() {
        assertThatThrownBy(() -> stores().jobs().get(Long.MAX_VALUE)).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> stores().jobs().update(jobRow(newApp(), "x", true, null).withId(Long.MAX_VALUE)))
            .isInstanceOf(NotFoundException.class);
    }

    @Test
    default void nameIsUniquePerAppOnly() {
        long appId = newApp();
        long otherAppId = newApp();
        JobRow first = stores().jobs().create(jobRow(appId, "nightly", true, null));
        JobRow second = stores().jobs().create(jobRow(appId, "hourly", true, null));

        assertThatThrownBy(() -> stores().jobs().create(jobRow(appId, "nightly", false, null)))
            .isInstanceOf(ConflictException.class).hasMessageContaining("nightly");
        assertThatThrownBy(() -> stores().jobs().update(jobRow(appId, "nightly", true, null).withId(second.id())))
            .isInstanceOf(ConflictException.class);
        assertThat(stores().jobs().create(jobRow(otherAppId, "nightly", true, null)).id()).isNotEqualTo(first.id());
        assertThat(stores().jobs().update(first)).isEqualTo(first);
        assertThat(stores().jobs().get(second.id()).name()).isEqualTo("hourly");
    }

    @Test
    default void listAndCountByAppWithPaging() {
        long appId = newApp();
        List<Long> ids = List.of(newJob(appId).id(), newJob(appId).id(), newJob(appId).id());
        newJob(newApp());

        assertThat(stores().jobs().count(appId)).isEqualTo(3);
        assertThat(stores().jobs().list(appId, 0, 10)).extracting(JobRow::id).containsExactlyElementsOf(ids);
        assertThat(stores().jobs().list(appId, 1, 1)).extracting(JobRow::id).containsExactly(ids.get(1));
        assertThat(stores().jobs().count(null)).isGreaterThanOrEqualTo(4);
        assertThat(stores().jobs().list(null, 0, 10_000)).extracting(JobRow::id).containsAll(ids);
    }

    @Test
    default void dueListsOnlyEnabledJobsOfTheGivenAppsUpToTheBound() {
        long appId = newApp();
        long otherAppId = newApp();
        long later = stores().jobs().create(jobRow(appId, "later", true, 2_000L)).id();
        long sooner = stores().jobs().create(jobRow(appId, "sooner", true, 1_000L)).id();
        stores().jobs().create(jobRow(appId, "disabled", false, 500L));
        stores().jobs().create(jobRow(appId, "unscheduled", true, null));
        stores().jobs().create(jobRow(appId, "future", true, 2_001L));
        long other = stores().jobs().create(jobRow(otherAppId, "other", true, 100L)).id();
        stores().jobs().create(jobRow(newApp(), "ignored", true, 100L));

        assertThat(stores().jobs().due(List.of(appId, otherAppId), 2_000)).extracting(JobRow::id)
            .containsExactly(other, sooner, later);
        assertThat(stores().jobs().due(List.of(), 2_000)).isEmpty();

        stores().jobs().setEnabled(sooner, false, 1_000L, 3_000);
        assertThat(stores().jobs().due(List.of(appId), 2_000)).extracting(JobRow::id).containsExactly(later);
    }

    @Test
    default void advanceIsACompareAndSetUnderTheLease() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = stores().jobs().create(jobRow(appId, "cas", true, null)).id();

        assertThat(advance(fence, jobId, 1L, 2L)).isFalse();
        assertThat(advance(fence, jobId, null, 60_000L)).isTrue();
        assertThat(advance(fence, jobId, 59_000L, 120_000L)).isFalse();
        assertThat(advance(fence, jobId, 60_000L, 120_000L)).isTrue();

        JobRow row = stores().jobs().get(jobId);
        assertThat(row.nextFireAt()).isEqualTo(120_000L);
        assertThat(row.updatedAt()).isEqualTo(9_000);
    }

    @Test
    default void advanceUnderALostLeaseThrowsAndChangesNothing() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = stores().jobs().create(jobRow(appId, "fenced", true, 60_000L)).id();
        stores().leases().release(appId, SERVER_1, fence.epoch());
        own(appId, SERVER_2, LONG_LEASE_MS);

        assertThatThrownBy(() -> advance(fence, jobId, 60_000L, 120_000L)).isInstanceOf(FencedException.class);
        assertThat(stores().jobs().get(jobId).nextFireAt()).isEqualTo(60_000L);
    }

    @Test
    default void deleteRemovesTheJobWithItsInstancesTasksAndLogs() {
        long appId = newApp();
        Fence fence = own(appId);
        long jobId = newJob(appId).id();
        long keptJobId = newJob(appId).id();
        long instanceId = instance(fence, jobId, InstanceState.RUNNING);
        long taskId = task(fence, instanceId, "main", 1, "worker-1");
        stores().logs().append(taskId, 1, instanceId, List.of(new LogLine(1, Instant.EPOCH, LogLevel.INFO, "x")));
        long keptInstanceId = instance(fence, keptJobId, InstanceState.WAITING);

        stores().jobs().delete(jobId);

        assertThat(stores().jobs().find(jobId)).isEmpty();
        assertThat(stores().instances().find(instanceId)).isEmpty();
        assertThat(stores().tasks().find(taskId)).isEmpty();
        assertThat(stores().logs().count(instanceId)).isZero();
        assertThat(stores().instances().find(keptInstanceId)).isPresent();
    }

    private boolean advance(Fence fence, long jobId, Long expected, Long next) {
        return db().jdbi().inTransaction(h -> stores().jobs().advance(h, fence, jobId, expected, next, 9_000));
    }
}
