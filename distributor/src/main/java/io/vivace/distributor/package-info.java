/**
 * The distributor role: {@link io.vivace.distributor.Distributor} resolves the tenant, validates
 * spans, applies per-tenant limits and appends to the ingest log; {@link io.vivace.distributor.DistributorConfig}
 * is its configuration section.
 */
package io.vivace.distributor;
