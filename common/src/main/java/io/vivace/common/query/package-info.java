/**
 * Read-path contracts between roles: how the query-frontend asks a querier for a trace, and how a
 * querier asks the ingesters for recent data. In single-binary mode the app wires them in-process.
 */
package io.vivace.common.query;
