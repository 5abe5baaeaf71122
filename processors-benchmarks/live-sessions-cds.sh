#!/bin/sh
# Builds the class-data archives LiveSessionsLoad's fresh client JVM can start from (BENCHMARKS.md,
# issue 21, "1. Concurrent live sessions"):
#   - JDK 17 AppCDS: a dynamic archive written at the exit of a training run (-XX:ArchiveClassesAtExit),
#     read with -XX:SharedArchiveFile;
#   - JDK 25 AOT cache (JEP 483 and 514): written by a training run with -XX:AOTCacheOutput (the JVM
#     assembles the cache when the training run exits), read with -XX:AOTCache.
# The training run is a short fresh run of the processor variant (50 sessions, 5 s, after the
# loopback warm-up), so the archive holds the classes, and the AOT cache also the linked classes and
# profiles, that the load's client JVM uses. Both archives are tied to the jar: rebuild the jar, run
# this again. Run it holding the build lock, from the repository's root:
#
#   flock /tmp/mvn.lock sh processors-benchmarks/live-sessions-cds.sh
#
# then measure with, for example:
#   java -cp processors-benchmarks/target/benchmarks.jar dev.genaiprocessors.benchmarks.LiveSessionsLoad \
#     --mode fresh --counts 200 --seconds 15 --variants floor,floor,processor --loopback-warmup 3 \
#     --client-opts "-XX:SharedArchiveFile=processors-benchmarks/target/cds/client17.jsa"
#   ... --client-java /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
#     --client-opts "-XX:AOTCache=processors-benchmarks/target/cds/client25.aot"
set -eu
JAR=${JAR:-processors-benchmarks/target/benchmarks.jar}
OUT=${OUT:-processors-benchmarks/target/cds}
JDK17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
PROVIDER=${PROVIDER:-gemini}
mkdir -p "$OUT"
train() {
  "$JDK17/bin/java" -cp "$JAR" dev.genaiprocessors.benchmarks.LiveSessionsLoad \
    --provider "$PROVIDER" --mode fresh --counts 50 --seconds 5 --variants processor \
    --loopback-warmup 2 "$@"
}
train --client-java "$JDK17/bin/java" --client-opts "-XX:ArchiveClassesAtExit=$OUT/client17.jsa"
ls -l "$OUT/client17.jsa"
if [ -x "$JDK25/bin/java" ]; then
  train --client-java "$JDK25/bin/java" --client-opts "-XX:AOTCacheOutput=$OUT/client25.aot"
  ls -l "$OUT/client25.aot"
else
  echo "no JDK 25 at $JDK25: the AOT cache is not built" >&2
fi
