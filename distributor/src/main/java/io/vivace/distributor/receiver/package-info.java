/**
 * The ingest receivers as Armeria services (OTLP/gRPC, OTLP/HTTP, Zipkin) and
 * {@link io.vivace.distributor.receiver.Receivers}, which binds each to its own port of the
 * application's server.
 */
package io.vivace.distributor.receiver;
