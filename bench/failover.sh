#!/usr/bin/env bash
# Unplanned failovers under writes, then a planned reparent (issue 12): `arbor up --replicas 2`, sysbench
# oltp_write_only through the gateway as background load, and bench/Failover.java's JDBC writer logging every
# acknowledged insert while it kills the primary's mariadbd (SIGKILL) ROUNDS times and reparents once. Figures:
# time from the kill to the next acknowledged write (median, max), acknowledged writes lost, client errors, the
# reparent's write stall. Writes them into docs/benchmarks.md (between the failover markers) and prints them.
#
#   bench/failover.sh            # 10 rounds
#   ROUNDS=3 bench/failover.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-10}"
DATA="$(mktemp -d /tmp/arbor-failover-bench.XXXXXX)"
OUT="$ROOT/docs/benchmarks.md"
command -v sysbench >/dev/null || { sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq sysbench >/dev/null; }

"$ROOT/arbor" up --data-dir "$DATA" --mysql-port 0 --http-port 0 --control-port 0 --replicas 2 > "$DATA/arbor.log" 2>&1 &
ARBOR_PID=$!
LOAD_PID=""
cleanup() { [ -n "$LOAD_PID" ] && kill "$LOAD_PID" 2>/dev/null; kill "$ARBOR_PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 600); do [ -f "$DATA/cluster.json" ] && break; kill -0 "$ARBOR_PID" 2>/dev/null || { cat "$DATA/arbor.log"; exit 1; }; sleep 0.5; done
[ -f "$DATA/cluster.json" ] || { echo "cluster did not start"; cat "$DATA/arbor.log"; exit 1; }
source "$ROOT/bench/lib.sh"
cluster_env "$DATA/cluster.json"
JAVA="$(java_for_bench)"

common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-db="$DB" --tables=2 --table-size=10000
        --mysql-port="$GW_PORT" --mysql-user="$GW_USER" --mysql-password="$GW_PW")
echo "preparing sysbench tables through the gateway" >&2
sysbench oltp_write_only "${common[@]}" --threads=2 prepare >/dev/null
sysbench oltp_write_only "${common[@]}" --threads=2 --time=100000 --mysql-ignore-errors=all --report-interval=0 run \
  > "$DATA/sysbench.log" 2>&1 &
LOAD_PID=$!

echo "$ROUNDS failovers and a reparent" >&2
"$JAVA" --enable-native-access=ALL-UNNAMED -cp "$ROOT/cli/target/arbor.jar" "$ROOT/bench/Failover.java" \
  "$DATA" "$ROOT/arbor" "$ROUNDS" "$GW_PORT" "$GW_USER" "$GW_PW" "$DB" | tee "$DATA/failover.log" >&2
kill -INT "$LOAD_PID" 2>/dev/null || true
wait "$LOAD_PID" 2>/dev/null || true
LOAD_PID=""
summary=$(grep '^summary:' "$DATA/failover.log")
get() { sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<"$summary"; }
rounds=$(grep '^round ' "$DATA/failover.log" | sed 's/^/    /')

section=$(cat <<MD
<!-- failover:begin -->
### Failover and reparent under writes (issue 12)
Command: \`ROUNDS=$ROUNDS bench/failover.sh\` (\`arbor up --replicas 2\`; sysbench oltp_write_only, 2 threads, through
the gateway as load; a JDBC writer logging every acknowledged insert), run on $(date -u +%Y-%m-%d).
Machine: $(machine_line).

| measure | value |
| --- | --- |
| unplanned failovers (SIGKILL of the primary's mariadbd) | $ROUNDS |
| kill to the next acknowledged write, median | **$(get resume_median_ms) ms** (target < 5,000) |
| kill to the next acknowledged write, max | $(get resume_max_ms) ms |
| acknowledged writes (JDBC writer) / lost | $(get acknowledged) / **$(get lost)** |
| the writer's client errors over all failovers / of them sent after the kill (not in flight) | $(get failover_errors) / $(get errors_sent_after_kill) |
| planned reparent: writes held (control plane) / longest gap between two acknowledged writes | $(get reparent_held_ms) ms / $(get reparent_max_gap_ms) ms (target < 1,000) |
| planned reparent: client errors | **$(get reparent_errors)** |

Per round:
\`\`\`
$rounds
\`\`\`
<!-- failover:end -->
MD
)
echo "$section"
replace_section "$OUT" failover "$section"
