package dev.gnomon.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gnomon.protocol.DispatchTask;
import dev.gnomon.protocol.MessageCodec;
import dev.gnomon.protocol.TaskKind;
import dev.gnomon.protocol.WorkerHello;
import org.junit.jupiter.api.Test;

/** Messages without the fields execution modes added (from a server or worker of an earlier version) still decode. */
class WireCompatibilityTest {

    @Test
    void aDispatchWithoutModeFieldsIsAStandaloneTask() {
        DispatchTask task = (DispatchTask) MessageCodec.decode("{\"type\":\"DispatchTask\",\"taskId\":5,\"attempt\":1,"
            + "\"instanceId\":9,\"jobId\":2,\"jobName\":\"j\",\"processor\":\"p\",\"timeoutMs\":0}");

        assertThat(task.kind()).isEqualTo(TaskKind.PROCESS);
        assertThat(task.taskKey()).isEqualTo("root");
        assertThat(task.shardIndex()).isEqualTo(-1);
        assertThat(task.shardCount()).isZero();
        assertThat(task.results()).isEmpty();
    }

    @Test
    void aHelloWithoutTagsHasNone() {
        WorkerHello hello = (WorkerHello) MessageCodec.decode("{\"type\":\"WorkerHello\",\"app\":\"a\",\"secret\":\"s\","
            + "\"workerId\":\"w\",\"maxTasks\":2}");

        assertThat(hello.tags()).isEmpty();
    }

    @Test
    void aShardRoundTrips() {
        DispatchTask shard = new DispatchTask(5, 2, 9, 2, "j", "p", null, null, 0, TaskKind.PROCESS, "shard-3", 3, 8,
            "eu", java.util.List.of());

        assertThat(MessageCodec.decode(MessageCodec.encode(shard))).isEqualTo(shard);
    }
}
