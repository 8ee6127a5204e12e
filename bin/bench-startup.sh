#!/usr/bin/env bash
# Start-up benchmark: prints a table of wall-clock times for `miu ARGS` (default: --version) run as the plain jar,
# as the runtime image without its AOT cache, and as the image's bin/miu with it. Needs target/image (bin/build-image.sh).
# Usage: bin/bench-startup.sh [RUNS] [ARGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-home.sh
runs=${1:-10}
shift || true
args=("$@")
[ ${#args[@]} -gt 0 ] || args=(--version)
[ -x target/image/bin/miu ] || { echo "bench-startup: build the image first: bin/build-image.sh" >&2; exit 1; }

# "wall cpu": medians over $runs runs of wall-clock and CPU (user + sys) milliseconds; CPU time is the steadier
# figure on a busy machine
measure() {
  local walls=() cpus=() t
  local TIMEFORMAT='%R %U %S'
  for _ in $(seq 1 "$runs"); do
    t=$( { time "$@" >/dev/null 2>&1; } 2>&1 )
    walls+=($(awk '{printf "%d", $1 * 1000}' <<<"$t"))
    cpus+=($(awk '{printf "%d", ($2 + $3) * 1000}' <<<"$t"))
  done
  echo "$(median "${walls[@]}") | $(median "${cpus[@]}")"
}

median() {
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'
}

echo "miu ${args[*]}: medians of $runs runs on $(nproc) cores (load $(cut -d' ' -f1 /proc/loadavg))"
echo
echo "| how miu runs | wall ms | CPU ms |"
echo "|---|---|---|"
echo "| java -jar target/miu.jar (JDK $("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')) | $(measure "$JAVA_HOME/bin/java" -jar target/miu.jar "${args[@]}") |"
echo "| target/image, no AOT cache | $(measure target/image/bin/java -jar target/image/app/miu.jar "${args[@]}") |"
echo "| target/image/bin/miu (AOT cache) | $(measure target/image/bin/miu "${args[@]}") |"
