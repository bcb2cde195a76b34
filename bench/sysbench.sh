#!/usr/bin/env bash
# Gateway vs. direct MariaDB, in one run: sysbench oltp_point_select and oltp_read_only at 1, 16 and 64
# threads, first through the Arbor gateway, then straight at the same tablet's mariadbd. Writes the
# figures into docs/benchmarks.md (between the sysbench markers) and prints them.
#
#   bench/sysbench.sh                 # 20 s per run (about 5 minutes in all)
#   TIME=5 THREADS="1 16" bench/sysbench.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME="${TIME:-20}"
THREADS="${THREADS:-1 16 64}"
TESTS="${TESTS:-oltp_point_select oltp_read_only}"
TABLES="${TABLES:-4}"
TABLE_SIZE="${TABLE_SIZE:-100000}"
DATA="$(mktemp -d /tmp/arbor-bench.XXXXXX)"
OUT="$ROOT/docs/benchmarks.md"

command -v sysbench >/dev/null || { sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq sysbench >/dev/null; }

"$ROOT/arbor" up --data-dir "$DATA" --mysql-port 0 --http-port 0 --control-port 0 > "$DATA/arbor.log" 2>&1 &
ARBOR_PID=$!
cleanup() { kill "$ARBOR_PID" 2>/dev/null || true; wait "$ARBOR_PID" 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 600); do [ -f "$DATA/cluster.json" ] && break; kill -0 "$ARBOR_PID" 2>/dev/null || { cat "$DATA/arbor.log"; exit 1; }; sleep 0.5; done
[ -f "$DATA/cluster.json" ] || { echo "cluster did not start"; cat "$DATA/arbor.log"; exit 1; }

source "$ROOT/bench/lib.sh"
cluster_env "$DATA/cluster.json"

common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-db="$DB" --tables="$TABLES" --table-size="$TABLE_SIZE")
gw=(--mysql-port="$GW_PORT" --mysql-user="$GW_USER" --mysql-password="$GW_PW")
direct=(--mysql-port="$MY_PORT" --mysql-user="$MY_USER" --mysql-password="$MY_PW")

echo "preparing $TABLES tables of $TABLE_SIZE rows" >&2
sysbench oltp_read_only "${common[@]}" "${direct[@]}" --threads=4 prepare >/dev/null

# run TEST THREADS PERCENTILE TARGET... -> "qps latency_at_percentile"
run() {
  local test=$1 threads=$2 pct=$3; shift 3
  sysbench "$test" "${common[@]}" "$@" --threads="$threads" --time="$TIME" --percentile="$pct" run |
    awk '/queries:/ && /per sec/ {gsub(/[()]/,""); q=$3} /th percentile:/ {p=$3} END {print q, p}'
}

# Warm-up: the gateway's JIT compiles its hot path during the first seconds; measure after that.
echo "warming up" >&2
run oltp_point_select 16 95 "${gw[@]}" >/dev/null
run oltp_point_select 16 95 "${direct[@]}" >/dev/null

rows=""
for test in $TESTS; do
  for t in $THREADS; do
    read -r gq gp < <(run "$test" "$t" 95 "${gw[@]}")
    read -r dq dp < <(run "$test" "$t" 95 "${direct[@]}")
    ratio=$(awk -v a="$gq" -v b="$dq" 'BEGIN {printf "%.2f", a/b}')
    line="| $test | $t | $gq | $dq | **$ratio** | $gp | $dp |"
    echo "$line" >&2
    rows+="$line"$'\n'
  done
done
# Median latency at one thread: the gateway's added time per query.
read -r _ gm < <(run oltp_point_select 1 50 "${gw[@]}")
read -r _ dm < <(run oltp_point_select 1 50 "${direct[@]}")
added=$(awk -v a="$gm" -v b="$dm" 'BEGIN {printf "%.0f", (a-b)*1000}')

machine="$(machine_line)"
section=$(cat <<MD
<!-- sysbench:begin -->
### Gateway vs. direct MariaDB (sysbench)
Command: \`TIME=$TIME THREADS="$THREADS" bench/sysbench.sh\` ($TABLES tables x $TABLE_SIZE rows, $TIME s per run), run on $(date -u +%Y-%m-%d).
Machine: $machine.

| test | threads | gateway QPS | direct QPS | gateway/direct | gateway p95 ms | direct p95 ms |
| --- | --- | --- | --- | --- | --- | --- |
$rows
Median latency, oltp_point_select at 1 thread: gateway $gm ms, direct $dm ms: **$added us added** per query.
<!-- sysbench:end -->
MD
)
echo "$section"
replace_section "$OUT" sysbench "$section"
