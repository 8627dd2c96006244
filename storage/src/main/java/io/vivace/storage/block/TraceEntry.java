package io.vivace.storage.block;

import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.vivace.model.TraceId;
import java.util.List;

/**
 * One trace: its ID and its spans grouped by resource and scope, all with trace ID {@code id}.
 *
 * @param id the trace ID
 * @param resourceSpans the spans
 */
public record TraceEntry(TraceId id, List<ResourceSpans> resourceSpans) {}
