#!/usr/bin/env bash
# Finds a JDK 21+ and exports JAVA_HOME; sourced by .ci/run and the README's commands.
# A fresh machine's default `java` may be 17, which Helidon 4 cannot run on.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -1 | cut -d. -f1; }
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ] 2>/dev/null; then
  export JAVA_HOME
else
  found=""
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/*25* /usr/lib/jvm/*-21* /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$d/bin/java" ] || continue
    if [ "$(java_major "$d")" -ge 21 ] 2>/dev/null; then found="$d"; break; fi
  done
  if [ -z "$found" ] && command -v java >/dev/null; then
    d=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if [ "$(java_major "$d")" -ge 21 ] 2>/dev/null; then found="$d"; fi
  fi
  if [ -z "$found" ]; then
    echo "miu needs a JDK 21 or newer (25 recommended). Install one (e.g. Temurin 25) and set JAVA_HOME to it." >&2
    return 1 2>/dev/null || exit 1
  fi
  export JAVA_HOME="$found"
fi
export PATH="$JAVA_HOME/bin:$PATH"
