/**
 * The vocabulary every Vivace module shares: trace and span IDs, tenants, and helpers over the
 * OTLP protobuf messages ({@code io.opentelemetry.proto.*}) and Tempo's API messages
 * ({@link io.vivace.model.tempopb}).
 */
package io.vivace.model;
