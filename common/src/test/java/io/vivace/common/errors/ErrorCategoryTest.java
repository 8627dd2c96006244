package io.vivace.common.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ErrorCategoryTest {

    @ParameterizedTest(name = "{0} -> HTTP {1}, gRPC {2}")
    @CsvSource({
        "INVALID_ARGUMENT, 400, 3",
        "UNAUTHENTICATED, 401, 16",
        "NOT_FOUND, 404, 5",
        "PAYLOAD_TOO_LARGE, 413, 8",
        "UNSUPPORTED_MEDIA_TYPE, 415, 3",
        "RESOURCE_EXHAUSTED, 429, 8",
        "UNAVAILABLE, 503, 14",
        "DEADLINE_EXCEEDED, 504, 4",
        "INTERNAL, 500, 13",
    })
    void mapsToHttpAndGrpc(ErrorCategory category, int http, int grpc) {
        assertThat(category.httpStatus()).isEqualTo(http);
        assertThat(category.grpcCode()).isEqualTo(grpc);
    }

    @Test
    void everyCategoryIsPinned() {
        // A new category must be added to the table above.
        assertThat(ErrorCategory.values()).hasSize(9);
        assertThat(Arrays.stream(ErrorCategory.values()).mapToInt(ErrorCategory::httpStatus).distinct().count()).isEqualTo(9);
    }

    @Test
    void grpcCodesMatchOtlpHttpMappingForRetryableOnes() {
        // OTLP/HTTP clients retry 429 and 503; their gRPC codes must be the retryable ResourceExhausted / Unavailable.
        assertThat(ErrorCategory.RESOURCE_EXHAUSTED.grpcCode()).isEqualTo(8);
        assertThat(ErrorCategory.UNAVAILABLE.grpcCode()).isEqualTo(14);
    }

    @Test
    void vivaceExceptionCarriesCategoryReasonAndRetryHint() {
        VivaceException e = new VivaceException(ErrorCategory.RESOURCE_EXHAUSTED, "rate_limited", "RATE_LIMITED: too fast",
                Duration.ofSeconds(5));

        assertThat(e.category()).isEqualTo(ErrorCategory.RESOURCE_EXHAUSTED);
        assertThat(e.reason()).isEqualTo("rate_limited");
        assertThat(e.getMessage()).isEqualTo("RATE_LIMITED: too fast");
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void invalidIsABadRequestWithoutRetry() {
        VivaceException e = VivaceException.invalid("bad_trace_id", "trace IDs can't be larger than 128 bits");

        assertThat(e.category()).isEqualTo(ErrorCategory.INVALID_ARGUMENT);
        assertThat(e.category().httpStatus()).isEqualTo(400);
        assertThat(e.retryAfter()).isNull();
        assertThat(e.reason()).isEqualTo("bad_trace_id");
    }

    @Test
    void categoryAndReasonAreRequired() {
        assertThatThrownBy(() -> new VivaceException(null, "r", "m")).isInstanceOf(NullPointerException.class).hasMessage("category");
        assertThatThrownBy(() -> new VivaceException(ErrorCategory.INTERNAL, null, "m")).isInstanceOf(NullPointerException.class).hasMessage("reason");
    }
}
