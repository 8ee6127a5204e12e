#!/usr/bin/env bash
# Studio benchmarks: builds what they need, starts `miu serve` as its own process against a local canned
# Anthropic-protocol provider (127.0.0.1 only), drives it with a minimal raw-socket HTTP/WebSocket client, and
# writes the "## Studio" section of BENCHMARKS.md (other sections are kept).
# Usage: bench/run.sh [--full] [--no-build] [--only latency,throughput,stores,concurrency,startup] [--out FILE]
#   stores: the file journal beside PostgreSQL (one and two instances); needs PostgreSQL installed (.ci/run does);
#           with Spring AI's JDBC chat memory on the same PostgreSQL once ../shared/peers/run.sh has built that peer
#           (or MIU_BENCH_SPRING_AI_JAR names its jar)
#   default: quick (a few minutes on 2 cores, 1,000 concurrent streams); --full: longer runs, up to 10,000 streams.
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-home.sh

build=1
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --full) args+=(--full) ;;
    --no-build) build=0 ;;
    --only) args+=(--only "$2"); shift ;;
    --out) args+=(--out "$2"); shift ;;
    -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ "$build" = 1 ]; then
  echo "bench: building target/miu.jar, the test classes and the runtime image"
  ./mvnw -B -q -o package -DskipTests || ./mvnw -B -q package -DskipTests  # online only if deps are missing
  bin/build-image.sh --no-package >/dev/null
fi
[ -f target/miu.jar ] && [ -d target/test-classes/dev/miu/bench ] || { echo "bench: run without --no-build first" >&2; exit 1; }

# 10,000 streams need about 2 sockets each in this JVM (client + provider side) and 2 in the server
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec timeout 1800 "$JAVA_HOME/bin/java" -Xmx2g -cp "target/miu.jar:target/libs/*:target/test-classes" \
  dev.miu.bench.StudioBench "$PWD" "${args[@]}"
