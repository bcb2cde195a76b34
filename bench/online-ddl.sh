#!/usr/bin/env bash
# Online DDL (the vitess strategy) on a 2,000,000-row sysbench table, and the same change done by MariaDB itself:
#   1. idle: the online ALTER alone: copy speed (rows_copied / copy seconds, SHOW VITESS_MIGRATIONS polled every
#      0.5 s) and total time; then MariaDB's own ALTER alone (ALGORITHM=INPLACE, LOCK=NONE, else COPY)
#   2. under load: sysbench oltp_write_only through the gateway (THREADS, per-second reports with the maximum
#      latency of each second, --percentile=100) while the online ALTER runs: copy speed, total time, the longest
#      write stall around cut-over, sysbench errors; then the same with MariaDB's ALTER on mariadbd directly
# The table is put back between runs by MariaDB (UNDO, on the idle server). Writes docs/benchmarks.md (between the
# online-ddl markers) and prints the section. Targets (issue 9): copy >= 100,000 rows/s idle, cut-over stall
# < 500 ms, zero sysbench errors.
#
#   bench/online-ddl.sh                 # 2,000,000 rows, 4 threads: about 8 minutes
#   ROWS=200000 SETTLE=3 bench/online-ddl.sh
#   CHANGE="MODIFY c VARCHAR(200) NOT NULL DEFAULT ''" UNDO="MODIFY c CHAR(120) NOT NULL DEFAULT ''" bench/online-ddl.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${ROWS:-2000000}"
THREADS="${THREADS:-4}"
SETTLE="${SETTLE:-5}"          # seconds of load before each ALTER and after it ends
MAX_WAIT="${MAX_WAIT:-600}"    # give up on a migration after this many seconds
CHANGE="${CHANGE:-ADD COLUMN extra INT NOT NULL DEFAULT 0, ADD INDEX c_prefix (c(10))}"
UNDO="${UNDO:-DROP COLUMN extra, DROP INDEX c_prefix}"
DATA="$(mktemp -d /tmp/arbor-ddl-bench.XXXXXX)"
OUT="$ROOT/docs/benchmarks.md"

command -v sysbench >/dev/null || { sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo; $sudo_cmd apt-get install -y -qq sysbench >/dev/null; }

"$ROOT/arbor" up --data-dir "$DATA" --mysql-port 0 --http-port 0 --control-port 0 > "$DATA/arbor.log" 2>&1 &
ARBOR_PID=$!
SB_PID=""
cleanup() {
  [ -n "$SB_PID" ] && kill "$SB_PID" 2>/dev/null || true
  kill "$ARBOR_PID" 2>/dev/null || true; wait "$ARBOR_PID" 2>/dev/null || true
  [ -n "${KEEP:-}" ] && { echo "kept $DATA" >&2; return; }
  rm -rf "$DATA"
}
trap cleanup EXIT
for _ in $(seq 1 600); do [ -f "$DATA/cluster.json" ] && break; kill -0 "$ARBOR_PID" 2>/dev/null || { cat "$DATA/arbor.log"; exit 1; }; sleep 0.5; done
[ -f "$DATA/cluster.json" ] || { echo "cluster did not start"; cat "$DATA/arbor.log"; exit 1; }

source "$ROOT/bench/lib.sh"
cluster_env "$DATA/cluster.json"
say() { printf 'online-ddl: %s\n' "$*" >&2; }
now() { date +%s.%N; }
gw_sql() { mariadb -h 127.0.0.1 -P "$GW_PORT" -u "$GW_USER" -p"$GW_PW" --connect-timeout=10 -B "$DB" -e "$1"; }
my_sql() { mariadb -h 127.0.0.1 -P "$MY_PORT" -u "$MY_USER" -p"$MY_PW" --connect-timeout=10 -B -N "$DB" -e "$1"; }
sb_common=(--db-driver=mysql --mysql-host=127.0.0.1 --mysql-db="$DB" --tables=1 --table-size="$ROWS")

say "preparing sbtest1 with $ROWS rows (straight on mariadbd)"
t=$(now)
sysbench oltp_write_only "${sb_common[@]}" --mysql-port="$MY_PORT" --mysql-user="$MY_USER" --mysql-password="$MY_PW" \
  prepare > "$DATA/prepare.log"
PREPARE_S=$(awk -v a="$t" -v b="$(now)" 'BEGIN {printf "%.0f", b-a}')

# migrate NAME: runs the online ALTER through the gateway and polls it every 0.5 s into $DATA/NAME.poll
# ("epoch status rows_copied table_rows"), until it ends. Sets UUID, T_START, T_END, STATUS.
migrate() {
  local name=$1 poll="$DATA/$1.poll"
  : > "$poll"
  T_START=$(now)
  UUID=$(gw_sql "SET @@ddl_strategy='vitess'; ALTER TABLE sbtest1 $CHANGE" | tail -n 1)
  say "$name: migration $UUID"
  STATUS=""
  while :; do
    local t; t=$(now)
    local row
    row=$(gw_sql "SHOW VITESS_MIGRATIONS LIKE '$UUID'" | awk -F'\t' '
      NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
      { printf "%s %s %s", $col["migration_status"], $col["rows_copied"], $col["table_rows"] }')
    [ -n "$row" ] || { say "$name: migration $UUID is not in SHOW VITESS_MIGRATIONS"; exit 1; }
    echo "$t $row" >> "$poll"
    STATUS=${row%% *}
    case "$STATUS" in complete|failed|cancelled) T_END=$t; break ;; esac
    awk -v a="$T_START" -v b="$t" -v m="$MAX_WAIT" 'BEGIN {exit !(b-a > m)}' && { say "$name: still $STATUS after $MAX_WAIT s"; T_END=$t; break; }
    sleep 0.5
  done
  if [ "$STATUS" != complete ]; then
    gw_sql "SHOW VITESS_MIGRATIONS LIKE '$UUID'" >&2 || true
    say "$name: migration $UUID ended $STATUS"
  fi
}

# copy_rate NAME: rows per second over the polls between the first that saw rows copied and the first that saw
# the final count (the copy's own time, without the binlog catch-up and cut-over); "rows seconds rate".
copy_rate() {
  awk '
    { t = $1; r = $3 + 0; if (r > max) { max = r; tmax = t } if (r == 0) tzero = t
      else if (!t0) { t0 = t; r0 = r; tz = tzero } }
    END {
      if (!max) { print "0 0 0"; exit }
      # A copy shorter than one poll: count it from the last poll that saw none.
      if (tmax == t0) { if (!tz) { print max " 0 0"; exit } ; t0 = tz; r0 = 0 }
      printf "%d %.1f %.0f\n", max, tmax - t0, (max - r0) / (tmax - t0) }' "$DATA/$1.poll"
}

# load_start NAME: sysbench oltp_write_only through the gateway in the background, a report every second with
# each second's maximum latency. It cannot be told to stop at an event, so it runs long and is stopped with a
# signal after the ALTER; every figure comes from the per-second reports.
load_start() {
  SB_LOG="$DATA/$1.sysbench"
  SB_T0=$(now)
  sysbench oltp_write_only "${sb_common[@]}" --mysql-port="$GW_PORT" --mysql-user="$GW_USER" --mysql-password="$GW_PW" \
    --threads="$THREADS" --time=$((MAX_WAIT + 60)) --report-interval=1 --percentile=100 run > "$SB_LOG" 2>&1 &
  SB_PID=$!
  sleep "$SETTLE"
}

load_stop() {
  sleep "$SETTLE"
  kill "$SB_PID" 2>/dev/null || true; wait "$SB_PID" 2>/dev/null || true; SB_PID=""
}

# load_figures FROM TO: from the per-second reports, for the seconds [FROM, TO] (epoch) of the ALTER:
# "max_ms_whole_run max_ms_in_window tps_before tps_during errors reconnects fatal"
load_figures() {
  awk -v t0="$SB_T0" -v from="$1" -v to="$2" -v settle="$SETTLE" '
    /^\[ *[0-9]+s \]/ {
      s = $2; sub(/s$/, "", s); s += 0
      for (i = 1; i <= NF; i++) {
        if ($i == "tps:") tps = $(i + 1) + 0
        if ($i == "(ms,100%):") lat = $(i + 1) + 0
        if ($i == "err/s:") err += $(i + 1)
        if ($i == "reconn/s:") rc += $(i + 1)
      }
      if (lat > max) max = lat
      at = t0 + s                      # this report covers (at - 1, at]
      if (at > from && at - 1 <= to + 1) { if (lat > wmax) wmax = lat; dt += tps; dn++ }
      else if (at <= from) { bt += tps; bn++ }
    }
    /FATAL/ { fatal++ }
    END { printf "%.0f %.0f %.0f %.0f %d %d %d\n", max, wmax, bn ? bt / bn : 0, dn ? dt / dn : 0, err, rc, fatal }' "$SB_LOG"
}

# stall_at EPOCH: the largest per-second maximum latency within 2 s of EPOCH (the poll that saw the migration
# complete comes up to 0.5 s after its cut-over), and the second it was in: "ms second".
stall_at() {
  awk -v t0="$SB_T0" -v at="$1" '
    /^\[ *[0-9]+s \]/ {
      s = $2; sub(/s$/, "", s); s += 0
      for (i = 1; i <= NF; i++) if ($i == "(ms,100%):") lat = $(i + 1) + 0
      if (t0 + s >= at - 2 && t0 + s - 1 <= at + 1 && lat >= best) { best = lat; sec = s }
    }
    END { printf "%.0f %d\n", best, sec }' "$SB_LOG"
}

# mariadb_alter: the change by MariaDB itself on mariadbd, online where it can; sets MY_ALGO and MY_SECONDS.
mariadb_alter() {
  local t; t=$(now)
  if my_sql "ALTER TABLE sbtest1 $CHANGE, ALGORITHM=INPLACE, LOCK=NONE" 2> "$DATA/alter.err"; then
    MY_ALGO="ALGORITHM=INPLACE, LOCK=NONE"
  else
    grep -q "not supported" "$DATA/alter.err" || { cat "$DATA/alter.err" >&2; exit 1; }
    t=$(now)
    my_sql "ALTER TABLE sbtest1 $CHANGE, ALGORITHM=COPY"
    MY_ALGO="ALGORITHM=COPY ($(grep -m1 "^ERROR" "$DATA/alter.err" | sed 's/^ERROR [0-9]* ([A-Z0-9]*)[^:]*: //' | head -c 160))"
  fi
  MY_T0=$t; MY_T1=$(now)
  MY_SECONDS=$(awk -v a="$t" -v b="$MY_T1" 'BEGIN {printf "%.1f", b-a}')
}

undo() { my_sql "ALTER TABLE sbtest1 $UNDO"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b-a}'; }

# 1. idle
say "idle: online ALTER"
migrate idle
read -r IDLE_ROWS IDLE_COPY_S IDLE_RATE <<<"$(copy_rate idle)"
IDLE_TOTAL=$(secs "$T_START" "$T_END"); IDLE_STATUS=$STATUS
say "idle: $IDLE_STATUS in $IDLE_TOTAL s; copied $IDLE_ROWS rows in $IDLE_COPY_S s = $IDLE_RATE rows/s"
[ "$IDLE_STATUS" = complete ] && undo
say "idle: MariaDB's ALTER"
mariadb_alter
IDLE_MY_ALGO=$MY_ALGO; IDLE_MY_S=$MY_SECONDS
say "idle: MariaDB $IDLE_MY_ALGO in $IDLE_MY_S s"
undo

# 2. under load
say "load: online ALTER with sysbench oltp_write_only, $THREADS threads, through the gateway"
load_start online
migrate load
LOAD_END=$T_END
load_stop
read -r LOAD_ROWS LOAD_COPY_S LOAD_RATE <<<"$(copy_rate load)"
LOAD_TOTAL=$(secs "$T_START" "$T_END"); LOAD_STATUS=$STATUS
read -r ON_MAX ON_WMAX ON_TPS_BEFORE ON_TPS_DURING ON_ERR ON_RC ON_FATAL <<<"$(load_figures "$T_START" "$T_END")"
read -r ON_STALL ON_STALL_SEC <<<"$(stall_at "$LOAD_END")"
ON_CUT_SEC=$(awk -v a="$SB_T0" -v b="$LOAD_END" 'BEGIN {printf "%d", b-a + 0.999}')
cp "$SB_LOG" "$DATA/online.sysbench.kept"
say "load: $LOAD_STATUS in $LOAD_TOTAL s; copy $LOAD_RATE rows/s; stall around cut-over ${ON_STALL} ms (second $ON_STALL_SEC, cut-over seen at $ON_CUT_SEC); max ${ON_MAX} ms; errors $ON_ERR, fatal $ON_FATAL"
[ "$LOAD_STATUS" = complete ] && undo

say "load: MariaDB's ALTER with the same sysbench"
load_start mariadb
mariadb_alter
load_stop
read -r MY_MAX MY_WMAX MY_TPS_BEFORE MY_TPS_DURING MY_ERR MY_RC MY_FATAL <<<"$(load_figures "$MY_T0" "$MY_T1")"
say "load: MariaDB $MY_ALGO in $MY_SECONDS s; max ${MY_MAX} ms (during the ALTER ${MY_WMAX} ms); errors $MY_ERR, fatal $MY_FATAL"

# The per-second reports around the cut-over, as evidence.
AROUND=$(awk -v c="$ON_CUT_SEC" '/^\[ *[0-9]+s \]/ { s = $2; sub(/s$/, "", s); if (s + 0 >= c - 3 && s + 0 <= c + 2) print }' \
  "$DATA/online.sysbench.kept" | sed 's/^/    /')

verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= t : (op == "<") ? v < t : v == t; print ok ? "met" : "**missed**" }'; }
fmt() { awk -v v="$1" 'BEGIN { s = sprintf("%d", v); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }'; }
ERRORS=$((ON_ERR + ON_FATAL))

section=$(cat <<MD
<!-- online-ddl:begin -->
### Online schema change on $(fmt "$ROWS") rows (vitess strategy vs. MariaDB's own ALTER)
Command: \`bench/online-ddl.sh\` (ROWS=$ROWS THREADS=$THREADS SETTLE=$SETTLE), run on $(date -u +%Y-%m-%d); preparing the table took $PREPARE_S s.
Machine: $(machine_line).
Change: \`ALTER TABLE sbtest1 $CHANGE\`, put back with \`$UNDO\` (by MariaDB, idle) between runs.
Load: \`sysbench oltp_write_only\`, $THREADS threads, through the gateway, \`--report-interval=1 --percentile=100\` (each
second's maximum latency), from $SETTLE s before the ALTER to $SETTLE s after it ended. Copy speed: rows_copied over
the copy's own seconds, from \`SHOW VITESS_MIGRATIONS\` polled every 0.5 s.

| measure | online (\`@@ddl_strategy='vitess'\`) | MariaDB (\`$MY_ALGO\`, on mariadbd) | target |
| --- | --- | --- | --- |
| idle: time, ALTER to complete | $IDLE_TOTAL s ($IDLE_STATUS) | $IDLE_MY_S s | |
| idle: copy speed | **$(fmt "$IDLE_RATE") rows/s** ($(fmt "$IDLE_ROWS") rows in $IDLE_COPY_S s) | - | >= 100,000 rows/s: $(verdict "$IDLE_RATE" 100000 ">=") |
| load: time, ALTER to complete | $LOAD_TOTAL s ($LOAD_STATUS) | $MY_SECONDS s | |
| load: copy speed | $(fmt "$LOAD_RATE") rows/s ($(fmt "$LOAD_ROWS") rows in $LOAD_COPY_S s) | - | |
| load: longest write stall around cut-over | **$ON_STALL ms** (second $ON_STALL_SEC of the run) | - | < 500 ms: $(verdict "$ON_STALL" 500 "<") |
| load: longest write during the ALTER | $ON_WMAX ms | $MY_WMAX ms | |
| load: longest write in the whole run | $ON_MAX ms | $MY_MAX ms | |
| load: sysbench TPS before / during the ALTER | $ON_TPS_BEFORE / $ON_TPS_DURING | $MY_TPS_BEFORE / $MY_TPS_DURING | |
| load: sysbench errors (ignored + fatal), reconnects | **$ON_ERR + $ON_FATAL**, $ON_RC | $MY_ERR + $MY_FATAL, $MY_RC | 0: $(verdict "$ERRORS" 0 "==") |

sysbench's per-second reports around the online cut-over (seen complete in second $ON_CUT_SEC):

$AROUND
<!-- online-ddl:end -->
MD
)
echo "$section"
replace_section "$OUT" online-ddl "$section"
