/**
 * Zipkin v2 decoding (JSON and proto3) and the translation to OTLP, following the OpenTelemetry
 * Collector's Zipkin translator.
 */
package io.vivace.distributor.zipkin;
