/** Errors with a category that maps once to HTTP and gRPC statuses. */
package io.vivace.common.errors;
