package dev.gnomon.tests.api;

import dev.gnomon.protocol.api.JobRequest;
import dev.gnomon.protocol.api.ScheduleSpec;
import dev.gnomon.tests.TestServer;

/** Job requests the tests send, and counts of stored rows to prove a refused call changed nothing. */
final class Requests {

    private Requests() {
    }

    static JobRequest job(String app, String name, String processor, ScheduleSpec schedule) {
        return new JobRequest(app, name, null, true, processor, null, schedule, null, null, null, null, null);
    }

    static JobRequest apiJob(String app, String name, String processor) {
        return job(app, name, processor, ScheduleSpec.api());
    }

    static long rows(TestServer t, String table) {
        return t.server().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table)
            .mapTo(Long.class).one());
    }
}
