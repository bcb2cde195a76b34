#!/usr/bin/env bash
# Point selects per second over the HTTP API (keep-alive, 16 concurrent clients, each request carrying the
# session token as @planetscale/database does) against the same through the MySQL protocol (MariaDB
# Connector/J, prepared statement), with p50/p99 latency. Writes docs/benchmarks.md (http markers).
#
#   bench/http.sh            # 20 s per protocol
#   TIME=5 CLIENTS=8 bench/http.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TIME="${TIME:-20}"
CLIENTS="${CLIENTS:-16}"
DATA="$(mktemp -d /tmp/arbor-http-bench.XXXXXX)"
OUT="$ROOT/docs/benchmarks.md"

"$ROOT/arbor" up --data-dir "$DATA" --mysql-port 0 --http-port 0 --control-port 0 > "$DATA/arbor.log" 2>&1 &
GW_PID=$!
cleanup() { kill "$GW_PID" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$DATA"; }
trap cleanup EXIT
for _ in $(seq 1 600); do [ -f "$DATA/cluster.json" ] && break; kill -0 "$GW_PID" 2>/dev/null || { cat "$DATA/arbor.log"; exit 1; }; sleep 0.5; done
source "$ROOT/bench/lib.sh"
cluster_env "$DATA/cluster.json"
HTTP_PORT=$(python3 -c "import json; print(json.load(open('$DATA/cluster.json'))['http']['port'])")
JAVA="$(java_for_bench)"
CP_FILE="$DATA/cp.txt"
(cd "$ROOT" && mvn -q -B -pl it dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >/dev/null)

sysbench oltp_point_select --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$MY_PORT" --mysql-user="$MY_USER" \
  --mysql-password="$MY_PW" --mysql-db="$DB" --tables=1 --table-size=10000 prepare >/dev/null
results=$("$JAVA" -cp "$ROOT/cli/target/arbor.jar:$(cat "$CP_FILE")" "$ROOT/bench/HttpVsMysql.java" \
  "$HTTP_PORT" "$GW_PORT" "$GW_USER" "$GW_PW" "$CLIENTS" "$TIME" 2>/dev/null)
echo "$results" >&2
field() { sed -n "s/.*protocol=$1 .*$2=\([0-9.]*\).*/\1/p" <<<"$results"; }
hq=$(field http qps); hp50=$(field http p50_ms); hp99=$(field http p99_ms)
mq=$(field mysql qps); mp50=$(field mysql p50_ms); mp99=$(field mysql p99_ms)
ratio=$(awk -v a="$hq" -v b="$mq" 'BEGIN {printf "%.2f", a/b}')

section=$(cat <<MD
<!-- http:begin -->
### HTTP API vs. MySQL protocol (point selects through the gateway)
Command: \`TIME=$TIME CLIENTS=$CLIENTS bench/http.sh\`, run on $(date -u +%Y-%m-%d). Machine: $(machine_line).
Load generator: \`bench/HttpVsMysql.java\` (a minimal HTTP/1.1 keep-alive client, the session token sent back
on every request; MariaDB Connector/J with a prepared statement), $CLIENTS concurrent clients each.

| protocol | QPS | p50 ms | p99 ms |
| --- | --- | --- | --- |
| HTTP API | $hq | $hp50 | $hp99 |
| MySQL protocol | $mq | $mp50 | $mp99 |

HTTP/MySQL throughput: **$ratio**.
<!-- http:end -->
MD
)
echo "$section"
replace_section "$OUT" http "$section"
