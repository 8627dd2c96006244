/** The process-wide Prometheus registry served at {@code /metrics}. */
package io.vivace.common.metrics;
