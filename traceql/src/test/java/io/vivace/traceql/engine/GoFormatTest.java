package io.vivace.traceql.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Go's renderings of durations and floats, expectations taken from Go's documented behaviour. */
class GoFormatTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0s",
        "1, 1ns",
        "999, 999ns",
        "1000, 1µs",
        "1500, 1.5µs",
        "1000000, 1ms",
        "1500000, 1.5ms",
        "27333333, 27.333333ms",
        "150000000, 150ms",
        "1000000000, 1s",
        "1200000000, 1.2s",
        "60000000000, 1m0s",
        "90000000000, 1m30s",
        "3600000000000, 1h0m0s",
        "3723500000000, 1h2m3.5s",
        "-1500000000, -1.5s",
        "-1, -1ns",
        "-9223372036854775808, -2562047h47m16.854775808s",
        "9223372036854775807, 2562047h47m16.854775807s",
    })
    void durations(long nanos, String expected) {
        assertThat(GoFormat.duration(nanos)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "200.0, 200",
        "0.25, 0.25",
        "-2.5, -2.5",
        "100000.0, 100000",
        "123456.0, 123456",
        "1000000.0, 1e+06",
        "1234567.0, 1.234567e+06",
        "18446744073709551616.0, 1.8446744073709552e+19",
        "1.0E21, 1e+21",
        "1.0E100, 1e+100",
        "0.0001, 0.0001",
        "0.00001, 1e-05",
        "1.5E-7, 1.5e-07",
        "0.1, 0.1",
        "0.0, 0",
        "-0.0, -0",
        "NaN, NaN",
        "Infinity, +Inf",
        "-Infinity, -Inf",
    })
    void floats(double value, String expected) {
        assertThat(GoFormat.formatFloat(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"200.0, 200.0", "0.5, 0.5", "1000000.0, 1e+06", "-3.0, -3.0", "NaN, NaN"})
    void tagValueFloats(double value, String expected) {
        assertThat(SpanTags.floatText(value)).isEqualTo(expected);
    }
}
