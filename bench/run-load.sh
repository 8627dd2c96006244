#!/usr/bin/env bash
# End-to-end load against the packaged server, with the server's memory and start time measured.
#
#   bench/run-load.sh [LoadTool flags...]          e.g. bench/run-load.sh -threads=8 -seconds=30
#
# Starts app/target/vivace.jar on a fresh temporary data directory and free ports, with ingestion
# limits raised (rate and burst 1 GB/s, max_traces_per_user unlimited: a 30 s run at 120k spans/s
# holds ~60k live traces, over the default 10,000), waits for /ready (start-to-ready time), samples
# idle memory, runs io.vivace.bench.LoadTool with the given flags (-url is filled in), samples memory
# every 0.5 s during the load, stops the server (SIGTERM, which also flushes the ingester; SIGKILL
# after 60 s) and prints a summary. The server is stopped on any exit, failure included.
#
# Environment:
#   VIVACE_BENCH_TOOL     main class to run instead of LoadTool (bench/run-query.sh sets QueryLoadTool, bench/run-search.sh SearchLoadTool)
#   LOAD_PROCESSES=N      run N LoadTool processes at once and sum their throughput (targets.md uses 2)
#   VIVACE_JAVA_OPTS      server JVM options (default as bin/vivace: -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=512m)
#   VIVACE_SERVER_ARGS    extra server flags, e.g. "-ingester.trace_idle_period=5s"
#   TOOL_JAVA_OPTS        load tool JVM options (default -Xmx2g)
#   IDLE_SECONDS=2        how long the server idles after /ready before the idle sample
#   KEEP_DATA=1           keep the temporary directory (data, server.log, samples) for inspection
#   REBUILD=1             rebuild app/target/vivace.jar and bench/target/vivace-bench.jar first (otherwise
#                         they are built only when missing: a stale JAR measures old code)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$root/bin/java-home.sh"
vivace_find_java
java="$JAVA_HOME/bin/java"

tool=${VIVACE_BENCH_TOOL:-io.vivace.bench.LoadTool}
processes=${LOAD_PROCESSES:-1}
idle_seconds=${IDLE_SECONDS:-2}
server_jar="$root/app/target/vivace.jar"
bench_jar="$root/bench/target/vivace-bench.jar"

if [ ! -f "$server_jar" ] || [ "${REBUILD:-0}" = 1 ]; then
  echo "run-load: building the server (app/target/vivace.jar)..." >&2
  (cd "$root" && bin/mvn -q -o install -DskipTests -pl app -am) >&2
fi
if [ ! -f "$bench_jar" ] || [ "${REBUILD:-0}" = 1 ]; then
  echo "run-load: building the bench (bench/target/vivace-bench.jar)..." >&2
  (cd "$root" && bin/mvn -q -o install -DskipTests -pl bench) >&2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vivace-load.XXXXXX")
server_pid=""
sampler_pid=""
tool_pids=()

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$sampler_pid" ]; then kill "$sampler_pid" 2>/dev/null || true; fi
  for p in "${tool_pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    echo "run-load: stopping the server (pid $server_pid)" >&2
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 600); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$server_pid" 2>/dev/null; then
      echo "run-load: server still running after 60 s; SIGKILL" >&2
      kill -KILL "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/server.log" ]; then
    echo "run-load: failed (exit $status); last server log lines:" >&2
    tail -n 20 "$work/server.log" >&2 || true
  fi
  if [ "${KEEP_DATA:-0}" = 1 ]; then
    echo "run-load: kept $work" >&2
  else
    rm -rf "$work"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Five distinct free TCP ports, so that runs don't collide with a server or test on the defaults.
ports=()
while [ "${#ports[@]}" -lt 5 ]; do
  p=$((20000 + RANDOM % 40000))
  [[ " ${ports[*]} " == *" $p "* ]] && continue
  [ -z "$(ss -Htln "sport = :$p" 2>/dev/null)" ] && ports+=("$p")
done
http_port=${ports[0]}
base="http://127.0.0.1:$http_port"
otlp_url="http://127.0.0.1:${ports[3]}/v1/traces"

server_args=(
  -server.http_listen_port="$http_port"
  -server.grpc_listen_port="${ports[1]}"
  -distributor.receivers.otlp.protocols.grpc.endpoint="127.0.0.1:${ports[2]}"
  -distributor.receivers.otlp.protocols.http.endpoint="127.0.0.1:${ports[3]}"
  -distributor.receivers.zipkin.endpoint="127.0.0.1:${ports[4]}"
  -storage.trace.local.path="$work/data/blocks"
  -storage.trace.wal.path="$work/data/wal"
  -overrides.defaults.ingestion.rate_limit_bytes=1000000000
  -overrides.defaults.ingestion.burst_size_bytes=1000000000
  -overrides.defaults.ingestion.max_traces_per_user=0
)
# shellcheck disable=SC2206 # word splitting of the extra flags is intended
server_args+=(${VIVACE_SERVER_ARGS:-})
# shellcheck disable=SC2206
server_jvm=(${VIVACE_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxDirectMemorySize=512m})
# The class-data-sharing archive bin/vivace uses: the first run writes it, later runs start faster.
server_jvm+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$root/app/target/vivace.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# "rss_kb hwm_kb heap_used heap_committed direct_buffers" (bytes except the first two) of the server, now.
sample() {
  local rss hwm mem
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
  hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || echo 0)
  mem=$({ curl -s --max-time 2 "$base/metrics" 2>/dev/null || true; } | awk '
    /^jvm_memory_used_bytes\{/ && /area="heap"/ { used += $NF }
    /^jvm_memory_committed_bytes\{/ && /area="heap"/ { committed += $NF }
    /^jvm_buffer_memory_used_bytes\{/ && /id="direct"/ { direct += $NF }
    END { printf "%.0f %.0f %.0f", used, committed, direct }')
  echo "${rss:-0} ${hwm:-0} ${mem:-0 0 0}"
}

echo "run-load: java $("$java" -version 2>&1 | head -1)"
echo "run-load: server $server_jar ($(date -r "$server_jar" '+%F %T')), data in $work/data, http $base, otlp $otlp_url"
echo "run-load: server JVM ${server_jvm[*]}"
echo "run-load: server flags ${server_args[*]}"
t_start=$(now_ms)
"$java" --add-opens=java.base/java.nio=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED \
  "${server_jvm[@]}" -jar "$server_jar" "${server_args[@]}" >"$work/server.log" 2>&1 &
server_pid=$!

ready_ms=""
for _ in $(seq 3000); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "run-load: the server exited before it was ready" >&2
    exit 1
  fi
  if curl -sf --max-time 1 "$base/ready" >/dev/null 2>&1; then
    ready_ms=$(( $(now_ms) - t_start ))
    break
  fi
  sleep 0.02
done
if [ -z "$ready_ms" ]; then
  echo "run-load: the server was not ready within 60 s" >&2
  exit 1
fi
echo "run-load: ready in $ready_ms ms (process start to /ready answering 200)"

sleep "$idle_seconds"
read -r idle_rss _ idle_heap idle_committed idle_direct < <(sample)
echo "run-load: idle after ${idle_seconds}s: RSS $((idle_rss / 1024)) MB, heap used $((idle_heap / 1048576)) MB of $((idle_committed / 1048576)) MB committed, direct buffers $((idle_direct / 1048576)) MB"

( while kill -0 "$server_pid" 2>/dev/null; do echo "$(sample)"; sleep 0.5; done ) >"$work/samples" &
sampler_pid=$!

# shellcheck disable=SC2206
tool_jvm=(${TOOL_JAVA_OPTS:--Xmx2g})
case "$tool" in
  *QueryLoadTool|*SearchLoadTool) tool_args=(-url="$base" -otlp="$otlp_url"); processes=1 ;;
  *) tool_args=(-url="$otlp_url") ;;
esac
echo "run-load: $tool ${tool_args[*]} $* (x$processes)"
t_load=$(now_ms)
for i in $(seq "$processes"); do
  "$java" "${tool_jvm[@]}" -cp "$bench_jar" "$tool" "${tool_args[@]}" "$@" >"$work/tool-$i.out" 2>&1 &
  tool_pids+=("$!")
done
tool_status=0
for p in "${tool_pids[@]}"; do
  wait "$p" || tool_status=$?
done
tool_pids=()
load_ms=$(( $(now_ms) - t_load ))
kill "$sampler_pid" 2>/dev/null || true
wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
read -r _ end_hwm _ _ _ < <(sample)

for i in $(seq "$processes"); do
  [ "$processes" -gt 1 ] && echo "--- tool process $i"
  cat "$work/tool-$i.out"
done

server_alive=yes
kill -0 "$server_pid" 2>/dev/null || server_alive=no
t_stop=$(now_ms)
kill -TERM "$server_pid" 2>/dev/null || true
for _ in $(seq 600); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
stop_ms=$(( $(now_ms) - t_stop ))
stop_note="SIGTERM to exit"
if kill -0 "$server_pid" 2>/dev/null; then
  kill -KILL "$server_pid" 2>/dev/null || true
  stop_note="did not exit within 60 s after SIGTERM; killed"
fi
wait "$server_pid" 2>/dev/null || true
server_pid=""
errors=$(grep -c 'level=ERROR' "$work/server.log" || true)
# What the server left on disk once stopped (stopping writes every live trace into a block).
block_bytes=0
block_spans=0
block_count=0
if [ -d "$work/data/blocks" ]; then
  block_bytes=$(du -sb "$work/data/blocks" | cut -f1)
  read -r block_count block_spans < <(find "$work/data/blocks" -name meta.json -exec grep -h '^  "totalSpans"' {} + 2>/dev/null \
    | tr -dc '0-9\n' | awk '{ n++; s += $1 } END { printf "%d %d\n", n, s }')
fi

echo
echo "=== summary"
printf '%-30s %s ms\n' "start to ready" "$ready_ms"
printf '%-30s %s MB RSS, %s MB heap used (%s MB committed), %s MB direct buffers\n' "idle (${idle_seconds}s after ready)" \
  "$((idle_rss / 1024))" "$((idle_heap / 1048576))" "$((idle_committed / 1048576))" "$((idle_direct / 1048576))"
awk -v hwm="$end_hwm" '
  function mb(b) { return b / 1048576 }
  NF == 5 && $1 > 0 {
    n++; rss += $1; if ($1 > maxrss) maxrss = $1
    if ($3 > 0) { hn++; heap += $3; if ($3 > maxheap) maxheap = $3; if ($4 > maxcommitted) maxcommitted = $4; if ($5 > maxdirect) maxdirect = $5 }
  }
  END {
    if (n == 0) { print "under load                     no samples"; exit }
    printf "%-30s %.0f MB mean, %.0f MB peak (VmHWM %.0f MB), %d samples\n", "RSS under load", rss / n / 1024, maxrss / 1024, hwm / 1024, n
    if (hn > 0) printf "%-30s %.0f MB mean, %.0f MB peak; committed peak %.0f MB; direct buffers peak %.0f MB\n", "heap used under load", mb(heap / hn), mb(maxheap), mb(maxcommitted), mb(maxdirect)
  }' "$work/samples"
if [ "$processes" -gt 1 ]; then
  cat "$work"/tool-*.out | awk '/^throughput:/ { s += $2; m += $4 } END { printf "%-30s %.0f spans/s, %.1f MB/s (sum of processes)\n", "throughput", s, m }'
fi
printf '%-30s %s ms (%s)\n' "stop" "$stop_ms" "$stop_note"
if [ "${block_spans:-0}" -gt 0 ]; then
  awk -v b="$block_bytes" -v s="$block_spans" -v n="$block_count" \
    'BEGIN { printf "%-30s %d blocks, %d spans, %.1f MB => %.1f bytes per span\n", "blocks on disk after stop", n, s, b / 1e6, b / s }'
  echo "  (the load tools repeat one request with fresh trace IDs, which compresses better than the corpus:"
  echo "   BlockBuildBenchmark gives the storage target's bytes per span)"
fi
printf '%-30s %s\n' "server alive after load" "$server_alive"
printf '%-30s %s\n' "server ERROR log lines" "$errors"
printf '%-30s %s (%s ms)\n' "tool exit status" "$tool_status" "$load_ms"
if [ "$tool_status" -ne 0 ] || [ "$server_alive" != yes ]; then
  exit 1
fi
