package dev.gnomon.cli;

/** Resources as the server sends them. */
final class Fixtures {

    static final String APP = """
        {"id":7,"name":"billing","description":"Invoices","createdAt":"2026-01-02T03:04:05.123Z"}""";
    static final String JOB = """
        {"id":42,"app":"billing","name":"nightly","enabled":true,"processor":"shell","params":"echo hi",
         "schedule":{"type":"CRON","cron":"0 0 2 * * ?","timeZone":"Europe/Paris","misfire":"FIRE_ALL","misfireBound":5},
         "mode":"STANDALONE","maxConcurrent":1,"overlap":"SKIP",
         "retry":{"maxRetries":2,"backoff":"EXPONENTIAL","delay":"PT5S","maxDelay":"PT1M"},
         "timeout":"PT30S",
         "nextFireAt":"2026-01-03T01:00:00Z","createdAt":"2026-01-02T00:00:00Z","updatedAt":"2026-01-02T00:00:00Z"}""";
    static final String INSTANCE = """
        {"id":900,"jobId":42,"jobName":"nightly","app":"billing","state":"FAILED","trigger":"SCHEDULE",
         "scheduledAt":"2026-01-03T01:00:00Z","params":"echo hi","attempt":2,"maxAttempts":3,"workerId":"w-1",
         "reason":"exit code 1","createdAt":"2026-01-03T01:00:00Z","startedAt":"2026-01-03T01:00:01Z",
         "finishedAt":"2026-01-03T01:00:09Z"}""";

    private Fixtures() {
    }

    static String page(String... items) {
        return "{\"items\":[" + String.join(",", items) + "],\"total\":" + items.length + ",\"offset\":0,\"limit\":50}";
    }
}
