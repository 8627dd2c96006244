/**
 * Configuration binding: one YAML file, {@code ${ENV}} expansion, command-line flags that override
 * keys by their dotted path, strict checking of keys, and binding into immutable records.
 */
package io.vivace.common.config;
