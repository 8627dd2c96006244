/** The explicit start/stop lifecycle every role, the WAL and background workers follow. */
package io.vivace.common.lifecycle;
