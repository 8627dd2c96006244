/**
 * The query-frontend: Tempo's HTTP query API as Grafana's Tempo datasource calls it (see
 * {@code shared/docs/api.md} section 3), on the HTTP port.
 */
package io.vivace.frontend;
