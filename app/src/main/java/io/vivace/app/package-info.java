/**
 * The process: command line and configuration loading, the module registry that wires roles for
 * a {@code -target}, and the one Armeria server that serves every port.
 */
package io.vivace.app;
