/** Per-tenant limits (Tempo's {@code overrides}) and the token bucket that enforces rates. */
package io.vivace.common.limits;
