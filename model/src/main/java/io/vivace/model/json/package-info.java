/**
 * JSON encodings: OTLP/JSON as clients send it (hex IDs) and Tempo's API JSON as Grafana reads it
 * (protobuf JSON with base64 bytes, enum names, 64-bit integers as strings, defaults omitted).
 */
package io.vivace.model.json;
