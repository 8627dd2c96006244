#!/usr/bin/env bash
# Trace-by-ID latency against the packaged server: bench/run-load.sh (fresh server, raised limits,
# memory and start time measured, server always stopped) running io.vivace.bench.QueryLoadTool
# instead of the ingest load tool. Flags go to QueryLoadTool (-url and -otlp are filled in), e.g.
#
#   bench/run-query.sh -spans=10000000 -wait-for-blocks=true -threads=4 -seconds=30 -background-threads=2
#
# The environment variables of run-load.sh apply (VIVACE_SERVER_ARGS, VIVACE_JAVA_OPTS, KEEP_DATA, ...).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
VIVACE_BENCH_TOOL=io.vivace.bench.QueryLoadTool exec "$here/run-load.sh" "$@"
