package io.vivace.traceql.engine;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.traceql.engine.testing.InMemoryTraceSource;
import io.vivace.traceql.engine.testing.SearchConformanceSuite;
import java.util.List;

/** The conformance kit run against {@link InMemoryTraceSource}: the engine's own reference results. */
class InMemorySearchConformanceTest extends SearchConformanceSuite {
    @Override
    protected TraceSource sourceOf(List<ResourceSpans> data) {
        return new InMemoryTraceSource(data);
    }
}
