#!/usr/bin/env bash
# The query-path issue's benchmark table, gateway vs. direct MariaDB in one run: each workload is measured
# RUNS times (default 2), each run the gateway then the same tablet's mariadbd straight, after a warm-up.
#   oltp_point_select, 4 tables x 10,000 rows, 1 / 16 / 64 threads
#   oltp_point_select, 4 tables x 100,000 rows, 16 / 64 threads
#   oltp_read_write,   2 tables x 2,000 rows, 4 threads
# Writes the figures into docs/benchmarks.md (between the query-path markers) and prints them.
#
#   bench/query-path.sh             # 15 s per run, about 10 minutes
#   TIME=5 RUNS=1 bench/query-path.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME="${TIME:-15}"
RUNS="${RUNS:-2}"
WORKLOADS=("oltp_point_select 4 10000 1 16 64" "oltp_point_select 4 100000 16 64" "oltp_read_write 2 2000 4")
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
gw=(--mysql-port="$GW_PORT" --mysql-user="$GW_USER" --mysql-password="$GW_PW")
direct=(--mysql-port="$MY_PORT" --mysql-user="$MY_USER" --mysql-password="$MY_PW")

# run TEST TABLES SIZE THREADS TARGET... -> queries per second
run() {
  local test=$1 tables=$2 size=$3 threads=$4; shift 4
  sysbench "$test" --db-driver=mysql --mysql-host=127.0.0.1 --mysql-db="$DB" --tables="$tables" --table-size="$size" \
    "$@" --threads="$threads" --time="$TIME" run | awk '/queries:/ && /per sec/ {gsub(/[()]/,""); print $3}'
}

rows=""
for w in "${WORKLOADS[@]}"; do
  read -r test tables size threads <<<"$w"
  common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-db="$DB" --tables="$tables" --table-size="$size")
  echo "preparing $tables tables of $size rows" >&2
  sysbench oltp_read_write "${common[@]}" "${direct[@]}" cleanup >/dev/null 2>&1 || true
  sysbench oltp_read_write "${common[@]}" "${direct[@]}" --threads=2 prepare >/dev/null
  # Warm-up: the gateway's JIT compiles its hot path during the first seconds, and the buffer pool fills.
  run "$test" "$tables" "$size" 16 "${gw[@]}" >/dev/null
  run "$test" "$tables" "$size" 16 "${direct[@]}" >/dev/null
  for t in $threads; do
    ratios=""; figures=""
    for r in $(seq 1 "$RUNS"); do
      gq=$(run "$test" "$tables" "$size" "$t" "${gw[@]}")
      dq=$(run "$test" "$tables" "$size" "$t" "${direct[@]}")
      ratio=$(awk -v a="$gq" -v b="$dq" 'BEGIN {printf "%.2f", a/b}')
      ratios+="${ratios:+ / }**$ratio**"; figures+="${figures:+; }$gq vs $dq"
    done
    line="| $test | $tables x $size | $t | $ratios | $figures |"
    echo "$line" >&2
    rows+="$line"$'\n'
  done
  sysbench oltp_read_write "${common[@]}" "${direct[@]}" cleanup >/dev/null 2>&1 || true
done

section=$(cat <<MD
<!-- query-path:begin -->
### The query-path issue's workloads (sysbench)
Command: \`TIME=$TIME RUNS=$RUNS bench/query-path.sh\` ($TIME s per run, after a 16-thread warm-up per workload), run on $(date -u +%Y-%m-%d).
Machine: $(machine_line).

| test | tables x rows | threads | gateway/direct, each run | gateway vs. direct QPS, each run |
| --- | --- | --- | --- | --- |
$rows<!-- query-path:end -->
MD
)
echo "$section"
replace_section "$OUT" query-path "$section"
