# Shared by the bench/ scripts: reading cluster.json, the machine line, updating docs/benchmarks.md.

# cluster_env FILE: sets GW_PORT GW_USER GW_PW DB MY_PORT MY_USER MY_PW from cluster.json.
cluster_env() {
  local f=$1
  json() { python3 -c "import json,sys; d=json.load(open('$f')); print(eval(sys.argv[1]))" "$1"; }
  GW_PORT=$(json "d['mysql']['port']"); GW_USER=$(json "d['user']"); GW_PW=$(json "d['password']"); DB=$(json "d['database']")
  MY_PORT=$(json "d['tablets'][0]['mysqld']['port']"); MY_USER=$(json "d['tablets'][0]['mysqld']['user']")
  MY_PW=$(json "d['tablets'][0]['mysqld']['password']")
}

machine_line() {
  echo "$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -r); MariaDB $(mariadbd --version | awk '{print $3}'); sysbench $(sysbench --version | awk '{print $2}'); gateway, mariadbd and the load generators share the machine"
}

# The JDK the ./arbor script would pick (>= 21).
java_for_bench() {
  for home in "${JAVA_HOME:-}" $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    [ -n "$home" ] && [ -x "$home/bin/java" ] || continue
    v=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)
    [ "${v:-0}" -ge 21 ] && { echo "${home%/}/bin/java"; return; }
  done
  echo java
}

# replace_section FILE NAME TEXT: swaps the <!-- NAME:begin --> ... <!-- NAME:end --> block, or appends it.
replace_section() {
  local file=$1 name=$2 text=$3
  if [ -f "$file" ] && grep -q "$name:begin" "$file"; then
    python3 - "$file" "$name" "$text" <<'PY'
import re, sys
path, name, section = sys.argv[1], sys.argv[2], sys.argv[3]
text = open(path).read()
text = re.sub(r"<!-- %s:begin -->.*?<!-- %s:end -->" % (name, name), lambda m: section, text, flags=re.S)
open(path, "w").write(text)
PY
  else
    printf '\n%s\n' "$text" >> "$file"
  fi
}
