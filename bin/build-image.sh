#!/usr/bin/env bash
# Builds target/image: a jlink'd Java runtime holding only the modules miu needs, miu's jars, a bin/miu launcher,
# and (on JDK 25+) an AOT cache recorded by a training run, so start-up is fast. Needs no jmods: JDK 25's jlink
# links from its own runtime. Usage: bin/build-image.sh [--no-package]   (--no-package reuses what package made)
set -euo pipefail
cd "$(dirname "$0")/.."
source bin/java-home.sh

package=1
for arg in "$@"; do
  case "$arg" in
    --no-package) package=0 ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-image: unknown option $arg" >&2; exit 2 ;;
  esac
done

if [ "$package" = 1 ]; then
  echo "build-image: packaging target/miu.jar (tests skipped; run ./mvnw verify for them)"
  ./mvnw -B -q package -DskipTests
fi
[ -f target/miu.jar ] && [ -f target/miu-shaded.jar ] && [ -d target/libs ] \
  || { echo "build-image: target/miu.jar, miu-shaded.jar or libs missing; run without --no-package" >&2; exit 1; }

major=$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1)

# --generate-cds-archive gives the image the JDK's own class-data archive (the AOT cache below goes further).
# Modules: jdeps over every jar (the app jar alone misses e.g. java.net.http), plus modules found only at run time.
modules=$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release "$major" \
  target/miu.jar target/libs/*.jar 2>/dev/null | tail -n 1)
if ! [[ "$modules" =~ ^[a-z0-9.,]+$ ]]; then
  echo "build-image: jdeps did not print a module list (got: $modules)" >&2
  exit 1
fi
# jdk.crypto.ec/cryptoki: TLS to the providers; jdk.localedata: time-zone names; jdk.zipfs: jar file systems;
# jdk.naming.dns: DNS SRV lookups some libraries try; java.management/jdk.management: JVM metrics in Helidon
modules="$modules,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.localedata,jdk.zipfs,jdk.naming.dns,jdk.management"
echo "build-image: modules $modules"

rm -rf target/image
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --include-locales=en --generate-cds-archive --output target/image

# One jar instead of miu.jar and the 69 its Class-Path names (maven-shade-plugin makes it: see pom.xml): the JVM's
# per-jar start-up work and each class-path-wide lookup scale with the jars; 277 -> 241 ms to the first health answer.
mkdir -p target/image/app
cp target/miu-shaded.jar target/image/app/miu.jar
# The shaded jar keeps one merged NOTICE but not each library's licence text (their paths clash): the libraries'
# LICENSE and NOTICE files go under legal/libraries/JAR/, beside the JDK's own legal/ folder
classpath=$(unzip -p target/miu.jar META-INF/MANIFEST.MF | tr -d '\r' | sed -n '/^Class-Path:/,/^[A-Z]/p' \
  | sed -e 's/^Class-Path://' -e '/^[A-Z][A-Za-z-]*:/d' -e 's/^ //' | tr -d '\n')
for lib in $classpath; do
  name=$(basename "$lib" .jar)
  files=$(unzip -Z1 "target/$lib" 2>/dev/null | grep -iE '^META-INF/(LICENSE|NOTICE|COPYING)[^/]*$' || true)
  [ -n "$files" ] || continue
  mkdir -p "target/image/legal/libraries/$name"
  unzip -q -o -j "target/$lib" $files -d "target/image/legal/libraries/$name"
done

cat > target/image/bin/miu <<'LAUNCHER'
#!/bin/sh
# miu launcher: runs miu on the Java runtime of this image (no installed JDK needed).
# Extra JVM options: MIU_JAVA_OPTS="-Xmx1g" miu ...
self=$0
if command -v readlink >/dev/null 2>&1; then self=$(readlink -f "$0"); fi  # follow a symlink such as ~/bin/miu
case "$self" in */*) ;; *) self=./$self ;; esac
home=$(cd "${self%/*}/.." && pwd)
# serve has a cache of its own: a JVM loads all of its cache's classes before main, and the commands' would slow it
# (any argument "serve" picks it, so options may come first; a cache only changes speed, never behaviour)
cache=miu.aot
for arg in "$@"; do
  if [ "$arg" = serve ]; then cache=serve.aot; break; fi
done
aot=""
if [ -f "$home/lib/$cache" ]; then
  # the cache is only used when it matches this runtime and jar; otherwise the JVM silently starts without it
  # aot* and cds*: JDK 25 also warns under tag sets such as aot+codecache+stubs, which users cannot act on
  aot="-XX:AOTCache=$home/lib/$cache -Xlog:aot*=off -Xlog:cds*=off"
  if [ "$cache" = serve.aot ]; then
    # the server uses the cache's classes but not its method profiles: replaying them made the JIT compile the
    # training's hot code while serve was starting (a fifth of the start-up CPU on two cores); the JIT then works
    # as it does for the plain jar
    aot="$aot -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
  fi
fi
set -f  # the options below are split on spaces but never globbed
# shellcheck disable=SC2086
exec "$home/bin/java" $aot $MIU_JAVA_OPTS -jar "$home/app/miu.jar" "$@"
LAUNCHER
chmod +x target/image/bin/miu

# bin/miu-train-aot records the AOT cache; it ships in the image so a user can re-record it after changing the jars.
cat > target/image/bin/miu-train-aot <<'TRAIN'
#!/bin/sh
# Records the JDK 25 AOT caches bin/miu starts with: lib/miu.aot from a training run of miu's common commands and
# lib/serve.aot from one of the studio server (miu serve).
# The caches are tied to the jar's path and file time: copy the image with `cp -a` or tar, or run this again.
self=$0
if command -v readlink >/dev/null 2>&1; then self=$(readlink -f "$0"); fi  # follow a symlink such as ~/bin/miu
case "$self" in */*) ;; *) self=./$self ;; esac
home=$(cd "${self%/*}/.." && pwd)
rm -f "$home/lib/miu.aot" "$home/lib/serve.aot"
cd "$home" || exit 1
# The jar's absolute path, as bin/miu gives it: the cache records the path it was trained with, and the JVM looks each
# jar up by that path again when a cached class first needs its code source. A relative one resolved against the
# user's directory, failed, and threw and caught about 900 exceptions before the server listened (40 ms of CPU).
./bin/java -XX:AOTCacheOutput=lib/miu.aot -Xlog:aot=error -Xlog:cds=error -cp "$home/app/miu.jar" \
    dev.miu.cli.AotTraining cli \
  && exec ./bin/java -XX:AOTCacheOutput=lib/serve.aot -Xlog:aot=error -Xlog:cds=error -cp "$home/app/miu.jar" \
    dev.miu.cli.AotTraining serve
TRAIN
chmod +x target/image/bin/miu-train-aot

if [ "$major" -ge 25 ]; then
  echo "build-image: training the AOT caches"
  target/image/bin/miu-train-aot >/dev/null 2>target/image-aot.log || { cat target/image-aot.log >&2; exit 1; }
  for cache in miu.aot serve.aot; do
    [ -f "target/image/lib/$cache" ] || { echo "build-image: no AOT cache $cache was written" >&2; cat target/image-aot.log >&2; exit 1; }
  done
else
  rm -f target/image/bin/miu-train-aot
  echo "build-image: JDK $major has no one-step AOT cache (needs 25); the image starts without one"
fi

target/image/bin/miu --version >/dev/null
echo "build-image: done: target/image ($(du -sh target/image | cut -f1)); run target/image/bin/miu --help"
