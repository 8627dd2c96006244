/**
 * The compactor role: merges a tenant's small blocks of one time window into larger ones (traces
 * split across blocks become one, duplicate spans are dropped), applies retention, and deletes
 * replaced blocks after a grace period.
 */
package io.vivace.compactor;
