package dev.gnomon.tests.modes;

import dev.gnomon.protocol.TaskResult;
import dev.gnomon.worker.Processor;
import dev.gnomon.worker.Result;
import dev.gnomon.worker.TaskContext;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A map-reduce that checks itself: the root emits the ids 0..n-1, each sub-task returns its id,
 * and the reduce counts the results, the distinct ids and their sum, so a lost or doubled result
 * shows in its answer. The job's parameters are {@code n}, {@code n/ms} for sub-tasks that each
 * take that many milliseconds, or {@code n/ms/every} for only every {@code every}-th one to take
 * that long.
 */
public final class CountingMapReduce implements Processor {

    public static final String NAME = "counting";

    /** What the reduce answers when every id from 0 to n-1 reached it exactly once. */
    public static String expected(int n) {
        return "count=" + n + " distinct=" + n + " sum=" + (long) n * (n - 1) / 2;
    }

    @Override
    public Result process(TaskContext ctx) throws InterruptedException {
        String[] params = ctx.params().strip().split("/");
        if (ctx.item() != null) {
            boolean slow = params.length > 2 ? Integer.parseInt(ctx.item()) % Integer.parseInt(params[2]) == 0
                : params.length > 1;
            if (slow) {
                Thread.sleep(Long.parseLong(params[1]));
            }
            return Result.success(ctx.item());
        }
        int n = Integer.parseInt(params[0]);
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(String.valueOf(i));
        }
        ctx.map(ids, "id");
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
