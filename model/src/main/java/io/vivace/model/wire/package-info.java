/**
 * OTLP at the wire level: {@link io.vivace.model.wire.OtlpWireScanner} checks and indexes an OTLP
 * {@code TracesData} / {@code ExportTraceServiceRequest} body without building protobuf objects, and
 * {@link io.vivace.model.wire.OtlpWireBatch} validates its span IDs and splits it by trace by copying
 * byte ranges.
 */
package io.vivace.model.wire;
