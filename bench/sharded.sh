#!/usr/bin/env bash
# Sharded keyspaces (issue 11): sysbench oltp_point_select and oltp_read_only through the gateway against a local
# cluster whose `app` has 1 (unsharded), 2 and 4 shards, each shard its own mariadbd on this machine, the sbtest
# tables spread by Vitess's hash vindex on id. Point selects carry the vindex column, so each is a one-shard route;
# oltp_read_only's ranges, sums, ORDER BY and DISTINCT scatter to every shard and merge in the gateway. Prints the
# figures as ratios to 1 shard and writes them into docs/benchmarks.md (between the sharded markers).
#
#   bench/sharded.sh                  # 20 s per run
#   TIME=10 SHARDS="1 4" bench/sharded.sh
#
# The text protocol (--db-ps-mode=disable) in every run, so the three cluster shapes run the same statements.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME="${TIME:-20}"
THREADS="${THREADS:-16}"
SHARDS="${SHARDS:-1 2 4}"
TABLES="${TABLES:-2}"
TABLE_SIZE="${TABLE_SIZE:-50000}"
OUT="$ROOT/docs/benchmarks.md"
source "$ROOT/bench/lib.sh"

command -v sysbench >/dev/null || { sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq sysbench >/dev/null; }

vschema() {
  local tables="" i
  for i in $(seq 1 "$TABLES"); do
    tables+="${tables:+, }\"sbtest$i\": {\"column_vindexes\": [{\"column\": \"id\", \"name\": \"hash\"}]}"
  done
  echo "{\"sharded\": true, \"vindexes\": {\"hash\": {\"type\": \"hash\"}}, \"tables\": {$tables}}"
}

# run TEST -> "qps p95"
run() {
  sysbench "$1" "${common[@]}" --threads="$THREADS" --time="$TIME" --percentile=95 run |
    awk '/queries:/ && /per sec/ {gsub(/[()]/,""); q=$3} /th percentile:/ {p=$3} END {print q, p}'
}

declare -A QPS P95
for n in $SHARDS; do
  DATA="$(mktemp -d /tmp/arbor-bench-sharded.XXXXXX)"
  "$ROOT/arbor" up --data-dir "$DATA" --shards "$n" --mysql-port 0 --http-port 0 --control-port 0 > "$DATA/arbor.log" 2>&1 &
  ARBOR_PID=$!
  trap 'kill "$ARBOR_PID" 2>/dev/null || true; wait "$ARBOR_PID" 2>/dev/null || true; rm -rf "$DATA"' EXIT
  for _ in $(seq 1 600); do [ -f "$DATA/cluster.json" ] && break; kill -0 "$ARBOR_PID" 2>/dev/null || { cat "$DATA/arbor.log"; exit 1; }; sleep 0.5; done
  [ -f "$DATA/cluster.json" ] || { echo "cluster did not start"; cat "$DATA/arbor.log"; exit 1; }
  cluster_env "$DATA/cluster.json"
  if [ "$n" -gt 1 ]; then
    vschema > "$DATA/vschema.json"
    "$ROOT/arbor" vschema apply app main "$DATA/vschema.json" --data-dir "$DATA" >/dev/null
  fi
  common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$GW_PORT" --mysql-user="$GW_USER"
    --mysql-password="$GW_PW" --mysql-db="$DB" --tables="$TABLES" --table-size="$TABLE_SIZE" --auto-inc=off
    --db-ps-mode=disable)
  echo "$n shard(s): preparing $TABLES tables of $TABLE_SIZE rows through the gateway" >&2
  sysbench oltp_read_only "${common[@]}" --threads=2 prepare >/dev/null
  run oltp_point_select >/dev/null # warm-up: the gateway's JIT and the plan cache
  for test in oltp_point_select oltp_read_only; do
    read -r q p < <(run "$test")
    QPS[$test,$n]=$q
    P95[$test,$n]=$p
    echo "$n shard(s) $test: $q QPS, p95 $p ms" >&2
  done
  kill "$ARBOR_PID"; wait "$ARBOR_PID" 2>/dev/null || true; rm -rf "$DATA"; trap - EXIT
done

first=${SHARDS%% *}
rows=""
for test in oltp_point_select oltp_read_only; do
  for n in $SHARDS; do
    ratio=$(awk -v a="${QPS[$test,$n]}" -v b="${QPS[$test,$first]}" 'BEGIN {printf "%.2f", a/b}')
    rows+="| $test | $n | ${QPS[$test,$n]} | ${P95[$test,$n]} | **$ratio** |"$'\n'
  done
done
section=$(cat <<MD
<!-- sharded:begin -->
### Sharded keyspaces: 1, 2 and 4 shards (sysbench)
Command: \`TIME=$TIME THREADS=$THREADS bench/sharded.sh\` ($TABLES tables x $TABLE_SIZE rows spread by \`hash\` on id,
$THREADS threads, $TIME s per run, text protocol), run on $(date -u +%Y-%m-%d).
Machine: $(machine_line).
Every shard is a mariadbd of its own on the same machine, so more shards share the same cores: the point selects
(one shard each) show what routing costs, oltp_read_only's scatters what merging costs.

| test | shards | QPS | p95 ms | vs. $first shard |
| --- | --- | --- | --- | --- |
$rows
<!-- sharded:end -->
MD
)
echo "$section"
replace_section "$OUT" sharded "$section"
