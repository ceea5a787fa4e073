package dev.gnomon.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void medianOfOddAndEvenCounts() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void spreadIsRangeOverMedian() {
        assertThat(Stats.relativeSpread(List.of(90.0, 100.0, 110.0))).isEqualTo(0.2);
        assertThat(Stats.relativeSpread(List.of(5.0))).isZero();
    }

    @Test
    void nearestRankPercentiles() {
        double[] v = new double[100];
        for (int i = 0; i < 100; i++) {
            v[i] = i + 1;
        }
        assertThat(Stats.percentile(v, 50)).isEqualTo(50);
        assertThat(Stats.percentile(v, 99)).isEqualTo(99);
        assertThat(Stats.percentile(v, 100)).isEqualTo(100);
        assertThat(Stats.percentile(new double[] {7}, 99)).isEqualTo(7);
    }

    @Test
    void describeShowsMedianRangeAndHalfSpread() {
        assertThat(Stats.describe(List.of(90.0, 100.0, 110.0), "%.0f")).isEqualTo("100 (90–110, ±10 %)");
        assertThat(Stats.describe(List.of(), "%.0f")).isEqualTo("n/a");
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(() -> Stats.median(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
