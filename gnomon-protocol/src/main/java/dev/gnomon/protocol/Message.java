package dev.gnomon.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A message on the channel between a worker and the server that owns its app. The same
 * types travel on every transport; the {@code type} property names the record.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.SIMPLE_NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(WorkerHello.class),
    @JsonSubTypes.Type(HelloAccepted.class),
    @JsonSubTypes.Type(HelloRejected.class),
    @JsonSubTypes.Type(Redirect.class),
    @JsonSubTypes.Type(WorkerHeartbeat.class),
    @JsonSubTypes.Type(DispatchTask.class),
    @JsonSubTypes.Type(StopTask.class),
    @JsonSubTypes.Type(TaskReport.class),
    @JsonSubTypes.Type(LogBatch.class),
    @JsonSubTypes.Type(Ack.class),
    @JsonSubTypes.Type(MapTasks.class),
    @JsonSubTypes.Type(MapAccepted.class),
    @JsonSubTypes.Type(ResultsRequest.class),
    @JsonSubTypes.Type(ResultsPage.class),
    @JsonSubTypes.Type(Bundle.class)
})
public sealed interface Message
    permits WorkerHello, HelloAccepted, HelloRejected, Redirect, WorkerHeartbeat, DispatchTask,
        StopTask, TaskReport, LogBatch, Ack, MapTasks, MapAccepted,
        ResultsRequest, ResultsPage, Bundle {
}
