package dev.gnomon.bench;

import dev.gnomon.protocol.TaskResult;
import dev.gnomon.worker.GnomonWorker;
import dev.gnomon.worker.Processor;
import dev.gnomon.worker.Result;
import dev.gnomon.worker.TaskContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process for the map-reduce benchmark, with one processor, {@value #PROCESSOR}: the
 * root emits the ids 0..n-1 (n from the job's params) as sub-tasks, each sub-task does nothing
 * and returns its id, and the reduce reads the results as a stream and counts them, the distinct
 * ids and their sum, so a lost or doubled result shows in the instance's result. Arguments:
 * server URL, app, secret, max tasks.
 */
public final class MapReduceWorker {

    static final String PROCESSOR = "map-count";
    /** Items handed to one {@code ctx.map} call; the worker sends them in batches of its own size. */
    static final int EMIT_CHUNK = 10_000;

    private MapReduceWorker() {
    }

    /** What the reduce answers when every id from 0 to n-1 reached it exactly once. */
    static String expected(int n) {
        return "count=" + n + " distinct=" + n + " sum=" + (long) n * (n - 1) / 2;
    }

    static final class MapCount implements Processor {

        @Override
        public Result process(TaskContext ctx) {
            if (ctx.item() != null) {
                return Result.success(ctx.item());
            }
            int n = Integer.parseInt(ctx.params().strip());
            List<String> chunk = new ArrayList<>(EMIT_CHUNK);
            for (int i = 0; i < n; i++) {
                chunk.add(Integer.toString(i));
                if (chunk.size() == EMIT_CHUNK) {
                    ctx.map(chunk, "n");
                    chunk = new ArrayList<>(EMIT_CHUNK);
                }
            }
            if (!chunk.isEmpty()) {
                ctx.map(chunk, "n");
            }
            return Result.success("emitted " + n);
        }

        @Override
        public Result reduce(TaskContext ctx) {
            long count = 0;
            long sum = 0;
            BitSet seen = new BitSet();
            for (TaskResult r : ctx.subTaskResults()) {
                int id = Integer.parseInt(r.result());
                count++;
                sum += id;
                seen.set(id);
            }
            return Result.success("count=" + count + " distinct=" + seen.cardinality() + " sum=" + sum);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        GnomonWorker worker = GnomonWorker.builder()
            .servers(args[0]).app(args[1]).secret(args[2]).maxTasks(Integer.parseInt(args[3]))
            .processor(PROCESSOR, new MapCount())
            .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "bench-worker-shutdown"));
        worker.start();
        System.out.println("map-reduce bench worker " + worker.id() + " started");
        stopped.await();
    }
}
