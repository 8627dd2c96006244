package io.vivace.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "300ms, 300000000",
        "1.5s, 1500000000",
        "1h2m3s, 3723000000000",
        "5m, 300000000000",
        "2d, 172800000000000",
        "1w, 604800000000000",
        "1h, 3600000000000",
        "90s, 90000000000",
        "1m30s, 90000000000",
        "2h45m, 9900000000000",
        "100ns, 100",
        "10us, 10000",
        "10µs, 10000",
        "10μs, 10000",
        "0.3s, 300000000",
        "1.000000001s, 1000000001",
        ".5s, 500000000",
        "1.s, 1000000000",
        "1h0.5s, 3600500000000",
        "1s500ms, 1500000000",
        "0s, 0",
        "0ms, 0",
        "0, 0",
        "-1.5h, -5400000000000",
        "+5s, 5000000000",
        "' 5s ', 5000000000",
    })
    void parsesGoDurations(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "5, 5000000000",
        "30, 30000000000",
        "1.5, 1500000000",
        "0.25, 250000000",
        "-2, -2000000000",
        "000, 0",
    })
    void bareNumbersAreSeconds(String text, long nanos) {
        assertThat(GoDuration.parse(text)).isEqualTo(Duration.ofNanos(nanos));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "", " ", "s", "ms", "-", "+", "5x", "5 s", "1h 2m", "5S", "5H", "1.5.5s", "..s", "abc", "h1", "1h-2m",
        // Java's floating-point syntax must not leak in: "2d" / "2f" as Java literals, exponents, hex, NaN, Infinity.
        "2f", "2D", "1e3", "1e3s", "0x10", "NaN", "Infinity", "-Infinity",
        // Other scripts' digits are not ASCII digits.
        "\u0665s", "\u0665"
    })
    void rejectsInvalidText(String text) {
        assertThatThrownBy(() -> GoDuration.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid duration \"" + text + "\"")
                .hasMessageContaining("expected");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> GoDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoDaysIsTwoDaysNotTwoSeconds() {
        // Double.parseDouble("2d") is 2.0: a bare-number shortcut through it would read days as seconds.
        assertThat(GoDuration.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(GoDuration.parse("14d")).isEqualTo(Duration.ofDays(14));
    }

    @Test
    void rejectsOverflowLikeGo() {
        // Go's time.Duration holds about 292 years.
        assertThatThrownBy(() -> GoDuration.parse("9999999999h"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("9999999999h");
        assertThatThrownBy(() -> GoDuration.parse("200000d")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GoDuration.parse("5000000000h5000000000h")).isInstanceOf(IllegalArgumentException.class);
        assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
    }

    @Test
    void fractionsAreExactToTheNanosecond() {
        assertThat(GoDuration.parse("0.1s")).isEqualTo(Duration.ofMillis(100));
        assertThat(GoDuration.parse("0.000000001s")).isEqualTo(Duration.ofNanos(1));
        assertThat(GoDuration.parse("1.1h")).isEqualTo(Duration.ofMinutes(66));
        assertThat(GoDuration.parse("2.5d")).isEqualTo(Duration.ofHours(60));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "0, 0s",
        "1, 1ns",
        "999, 999ns",
        "1000, 1us",
        "1500, 1.5us",
        "1000000, 1ms",
        "1500000, 1.5ms",
        "300000000, 300ms",
        "1000000000, 1s",
        "1500000000, 1.5s",
        "1000000001, 1.000000001s",
        "60000000000, 1m",
        "90000000000, 1m30s",
        "3600000000000, 1h",
        "3723000000000, 1h2m3s",
        "3600500000000, 1h0.5s",
        "172800000000000, 48h",
        "-1500000000, -1.5s",
        "-3600000000000, -1h",
    })
    void formatsInShortestGoForm(long nanos, String text) {
        assertThat(GoDuration.format(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @Test
    void formatHandlesTheExtremes() {
        assertThat(GoDuration.format(Duration.ofNanos(Long.MIN_VALUE))).isEqualTo("-2562047h47m16.854775808s");
        assertThat(GoDuration.format(Duration.ofNanos(Long.MAX_VALUE))).isEqualTo("2562047h47m16.854775807s");
        // Beyond Go's range Java still has a Duration; formatting must not throw.
        assertThat(GoDuration.format(Duration.ofDays(200_000))).isEqualTo("4800000h");
    }

    @Test
    void formatThenParseRoundTrips() {
        java.util.Random random = new java.util.Random(11);
        long[] samples = {0, 1, 999, 1_000, 1_001, 1_000_000, 999_999_999, 1_000_000_000, 59_999_999_999L, 3_600_000_000_001L,
            86_400_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE + 1, -1};
        for (long nanos : samples) {
            Duration d = Duration.ofNanos(nanos);
            assertThat(GoDuration.parse(GoDuration.format(d))).as("%s", d).isEqualTo(d);
        }
        for (int i = 0; i < 1000; i++) {
            Duration d = Duration.ofNanos(random.nextLong() >> random.nextInt(60));
            assertThat(GoDuration.parse(GoDuration.format(d))).as("%s", d).isEqualTo(d);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"300ms", "1.5s", "1h2m3s", "5m", "48h", "1m30s", "1.5us", "7ns"})
    void parseThenFormatRoundTripsCanonicalText(String text) {
        assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
    }
}
