#!/usr/bin/env bash
# TraceQL search latency over stored blocks: bench/run-load.sh (fresh server, raised limits, memory
# measured, server always stopped) running io.vivace.bench.SearchLoadTool instead of the ingest load
# tool. Flags go to SearchLoadTool (-url and -otlp are filled in), e.g.
#
#   bench/run-search.sh -spans=5000000 -runs=50
#
# The environment variables of run-load.sh apply (VIVACE_SERVER_ARGS, VIVACE_JAVA_OPTS, KEEP_DATA, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
VIVACE_BENCH_TOOL=io.vivace.bench.SearchLoadTool exec "$here/run-load.sh" "$@"
