#!/usr/bin/env bash
# Issue 11's planner benchmark with JMH (bench/jmh, built with the root pom's "bench" profile, outside the normal
# build): the cost per statement of planning on a sharded keyspace, uncached (classify + normalize + parse + plan)
# and cached (the gateway's ShardedPlans: template + PlanCache hit; and normalize + hit), and of the unsharded path's
# normalize + hit; then JSqlParser's parse alone, to show where the uncached time goes. Prints a table and writes
# it into docs/benchmarks.md (planner-jmh markers).
#
#   bench/planner.sh                       # 3 x 1 s warm-up, 5 x 1 s measured, 1 fork: about 2 minutes
#   WARMUP=1 ITERATIONS=2 bench/planner.sh # quicker, noisier
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WARMUP="${WARMUP:-3}"
ITERATIONS="${ITERATIONS:-5}"
FORKS="${FORKS:-1}"
OUT="$ROOT/docs/benchmarks.md"
source "$ROOT/bench/lib.sh"
JAVA="$(java_for_bench)"
export JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$JAVA")")")"

# -o when the JMH jars are already in the local repository (the first build fetches them)
offline=""
[ -d "$HOME/.m2/repository/org/openjdk/jmh/jmh-generator-annprocess" ] && offline="-o"
(cd "$ROOT" && mvn -q -B $offline -P bench -pl bench/jmh -am package -DskipTests) >&2
load="$(cut -d' ' -f1 /proc/loadavg)"
CSV="$(mktemp /tmp/arbor-jmh.XXXXXX.csv)"
trap 'rm -f "$CSV"' EXIT
"$JAVA" -jar "$ROOT/bench/jmh/target/benchmarks.jar" 'PlannerBenchmark|ParseBenchmark' -f "$FORKS" -wi "$WARMUP" -w 1 \
  -i "$ITERATIONS" -r 1 -rf csv -rff "$CSV" >&2

rows=$(python3 - "$CSV" <<'PY'
import csv, sys
names = {"shardedUncached": "sharded, uncached: classify + normalize + parse + plan",
         "shardedPlans": "sharded, cached as the gateway does: ShardedPlans (template + PlanCache hit)",
         "shardedCached": "sharded, cached by normalized text: normalize + PlanCache hit",
         "unshardedCached": "unsharded: normalize + PlanCache hit",
         "parseAsThePlannerDoes": "JSqlParser parse as the planner calls it (an executor per parse)",
         "parseOnASharedExecutor": "JSqlParser parse on one shared executor",
         "parseOnTheCallerThread": "JSqlParser parse on the caller's thread"}
order = list(names)
cells = {}
for r in csv.DictReader(open(sys.argv[1])):
    bench = r["Benchmark"].rsplit(".", 1)[1]
    err = r["Score Error (99.9%)"]
    err = "" if err in ("NaN", "") else " ± %.2f" % float(err)
    cells.setdefault(bench, {})[r["Param: statement"]] = "%.2f%s" % (float(r["Score"]), err)
for b in order:
    if b in cells:
        c = cells[b]
        print("| %s | %s | %s | %s |" % (names[b], c.get("point", ""), c.get("scatterOrderLimit", ""), c.get("aggregate", "")))
PY
)
cpu="$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
section=$(cat <<MD
<!-- planner-jmh:begin -->
### The planner's cost per statement (JMH)
Command: \`WARMUP=$WARMUP ITERATIONS=$ITERATIONS FORKS=$FORKS bench/planner.sh\` (JMH 1.37, average time, $WARMUP x 1 s warm-up and $ITERATIONS x 1 s measured per cell, $FORKS fork), run on $(date -u +%Y-%m-%d).
Machine: $(nproc) cores ($cpu), $("$JAVA" -version 2>&1 | head -1); load average $load before the run (other work shares the machine: wall-clock figures, inflated by as much).
Statements: point = \`SELECT id, name, email FROM customer WHERE id = 42\` (one shard by hash); scatter = \`... WHERE score > 10 ORDER BY score DESC, id LIMIT 20\`; aggregate = \`SELECT region, COUNT(*), SUM(score), MAX(score) ... GROUP BY region ORDER BY region\`.

| us per statement | point | scatter ORDER BY + LIMIT | aggregate GROUP BY |
| --- | --- | --- | --- |
$rows
<!-- planner-jmh:end -->
MD
)
echo "$section"
replace_section "$OUT" planner-jmh "$section"
