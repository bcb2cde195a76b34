#!/usr/bin/env bash
# Many connections on one gateway with a pool of 32: a hold of HOLD client connections (each runs a query,
# stays open, runs another), connect-query-disconnect churn, and sysbench point selects with and without
# the hold. The same hold straight at MariaDB shows where it refuses (max_connections). Writes the figures
# into docs/benchmarks.md (between the connections markers) and prints them.
#
#   bench/connections.sh                  # HOLD defaults to 50,000, capped by the open-file limit
#   HOLD=10000 TIME=10 bench/connections.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME="${TIME:-20}"
WANT="${HOLD:-50000}"
DATA="$(mktemp -d /tmp/arbor-conn-bench.XXXXXX)"
OUT="$ROOT/docs/benchmarks.md"

# Each held connection is one file descriptor in the gateway and one in the generator: raise the limit as
# far as this machine lets us (some sandboxes forbid raising the hard limit, even for root).
ulimit -Hn 1048576 2>/dev/null || true
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
LIMIT=$(ulimit -n)
# The gateway accepts at most the limit minus the descriptors it has open at start and a reserve of 1,024
# (answering the rest 1040): stay under that.
HOLD=$(( WANT < LIMIT - 1800 ? WANT : LIMIT - 1800 ))

"$ROOT/arbor" up --data-dir "$DATA" --mysql-port 0 --http-port 0 --control-port 0 --pool-size 32 > "$DATA/arbor.log" 2>&1 &
GW_PID=$!
GEN_PID=""
cleanup() { [ -n "$GEN_PID" ] && kill "$GEN_PID" 2>/dev/null; kill "$GW_PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 600); do [ -f "$DATA/cluster.json" ] && break; kill -0 "$GW_PID" 2>/dev/null || { cat "$DATA/arbor.log"; exit 1; }; sleep 0.5; done
[ -f "$DATA/cluster.json" ] || { echo "cluster did not start"; exit 1; }
source "$ROOT/bench/lib.sh"
cluster_env "$DATA/cluster.json"
JAVA="$(java_for_bench)"
storm() { "$JAVA" --enable-native-access=ALL-UNNAMED -Xss512k -cp "$ROOT/cli/target/arbor.jar" "$ROOT/bench/ConnectionStorm.java" "$@"; }

common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-db="$DB" --tables=4 --table-size=10000)
sysbench oltp_point_select "${common[@]}" --mysql-port="$MY_PORT" --mysql-user="$MY_USER" --mysql-password="$MY_PW" --threads=4 prepare >/dev/null
point() {
  sysbench oltp_point_select "${common[@]}" --mysql-port="$GW_PORT" --mysql-user="$GW_USER" --mysql-password="$GW_PW" \
    --threads=16 --time="$TIME" --percentile=99 run |
    awk '/queries:/ && /per sec/ {gsub(/[()]/,""); q=$3} /th percentile:/ {p=$3} END {print q, p}'
}
heap_kb() {
  jcmd "$GW_PID" GC.run >/dev/null
  jcmd "$GW_PID" GC.heap_info | awk '/garbage-first heap|ZHeap|PSYoungGen|def new generation|Java Heap/ {for (i=1;i<=NF;i++) if ($i ~ /used/) {v=$(i+1); gsub(/[^0-9]/,"",v); print v; exit}}'
}
jcmd() { "$(dirname "$JAVA")/jcmd" "$@"; }

echo "warming up, then sysbench without the hold" >&2
point >/dev/null
read -r base_qps base_p99 < <(point)

echo "churn: connect, SELECT 1, disconnect" >&2
churn=$(storm churn 127.0.0.1 "$GW_PORT" "$GW_USER" "$GW_PW" "$DB" 32 10 2>/dev/null | grep connects_per_second)
cps=$(sed -n 's/.*connects_per_second=\([0-9]*\).*/\1/p' <<<"$churn")

echo "hold: $HOLD connections (open-file limit $LIMIT)" >&2
heap0=$(heap_kb)
rss0=$(awk '/VmRSS/ {print $2}' /proc/$GW_PID/status)
storm hold 127.0.0.1 "$GW_PORT" "$GW_USER" "$GW_PW" "$DB" "$HOLD" $(( TIME + 30 )) > "$DATA/hold.out" 2>/dev/null &
GEN_PID=$!
for _ in $(seq 1 600); do grep -q ready= "$DATA/hold.out" 2>/dev/null && break; sleep 0.5; done
held=$(sed -n 's/^ready=1 open=\([0-9]*\).*/\1/p' "$DATA/hold.out")
open_s=$(sed -n 's/.*open_seconds=\([0-9.]*\).*/\1/p' "$DATA/hold.out")
heap1=$(heap_kb)
rss1=$(awk '/VmRSS/ {print $2}' /proc/$GW_PID/status)
read -r storm_qps storm_p99 < <(point)
wait "$GEN_PID" || true
GEN_PID=""
answered=$(sed -n 's/.*answered_again=\([0-9]*\).*/\1/p' "$DATA/hold.out")
per_conn_heap=$(( (heap1 - heap0) * 1024 / (held > 0 ? held : 1) ))
per_conn_rss=$(( (rss1 - rss0) * 1024 / (held > 0 ? held : 1) ))

echo "the same hold straight at MariaDB" >&2
direct=$(STORM_SOURCES=1 storm hold 127.0.0.1 "$MY_PORT" "$MY_USER" "$MY_PW" "$DB" 5000 1 2>/dev/null | grep done=)
d_open=$(sed -n 's/.*open=\([0-9]*\).*/\1/p' <<<"$direct")
d_fail_at=$(sed -n 's/.*first_failure_at=\([-0-9]*\).*/\1/p' <<<"$direct")
d_error=$(sed -n 's/.*first_error="\([^"]*\)".*/\1/p' <<<"$direct")
max_conn=$(mariadb --no-defaults -h127.0.0.1 -P"$MY_PORT" -u"$MY_USER" -p"$MY_PW" -N -e "SELECT @@max_connections")

section=$(cat <<MD
<!-- connections:begin -->
### Many connections on one gateway (pool of 32)
Command: \`TIME=$TIME bench/connections.sh\` (wanted $WANT held connections), run on $(date -u +%Y-%m-%d). Machine: $(machine_line).

| measure | value |
| --- | --- |
| client connections held at once (each ran SELECT 1, then SELECT 2 after $(( TIME + 30 )) s) | $held (of $HOLD attempted; $answered answered the second query); opened in $open_s s |
| gateway heap per idle connection (after GC) | $per_conn_heap bytes |
| gateway resident memory per idle connection | $per_conn_rss bytes |
| connect + SELECT 1 + disconnect, 32 concurrent clients | $cps connections/s |
| sysbench oltp_point_select, 16 threads, no hold | $base_qps QPS, p99 $base_p99 ms |
| the same during the hold | $storm_qps QPS, p99 $storm_p99 ms |
| the same hold straight at MariaDB (max_connections=$max_conn) | $d_open of 5000 opened; refused from connection #$d_fail_at: "$d_error" |

The hold is capped by the open-file limit ($LIMIT here: each connection is a descriptor in the gateway and
one in the load generator); raise \`ulimit -n\` to hold 50,000.
<!-- connections:end -->
MD
)
echo "$section"
replace_section "$OUT" connections "$section"
