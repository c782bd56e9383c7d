#!/usr/bin/env bash
# The coverage listener's overhead on the samples' suite: builds the samples' tests, then runs the whole suite
# through JUnit's launcher with -Dfakehomeserver.coverage on and off, interleaved, and prints the medians
# (CoverageOverhead.java). Usage: benchmarks/coverage-overhead.sh [ROUNDS]   (default 5; about a minute a round)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds="${1:-5}"
cpfile=$(mktemp)
trap 'rm -f "$cpfile"' EXIT
mvn -B -q -ntp -pl samples -am test-compile -Dfuzz.skip >/dev/null
# The extension's test classpath has JUnit's launcher and Jupiter's engine and all the samples use (the harness,
# Undertow, Jackson, AssertJ, Awaitility); in the same invocation as its compile, the reactor resolves the
# harness to its target/classes. Every module writes the file in turn: the extension, last, wins.
mvn -B -q -ntp -pl junit5-extension -am test-compile dependency:build-classpath -Dmdep.outputFile="$cpfile" \
  -Dmdep.includeScope=test -Dfuzz.skip >/dev/null
cp="$root/samples/target/test-classes:$root/samples/target/classes:$root/junit5-extension/target/classes:$(cat "$cpfile")"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
cd samples   # as under Surefire, the working directory is the module's
exec java -Xmx1g -cp "$cp" "$root/benchmarks/CoverageOverhead.java" "$rounds" target/coverage-overhead
