#!/usr/bin/env bash
# Builds the harness's standalone jar and this module, then prints every benchmark figure beside its ceiling
# (measured in the same run), the ratio and the target, and a summary. `--quick` runs each briefly: CI calls it so
# the benchmarks keep building and running; it makes no timing assertion. `--markdown FILE` also writes the table.
# Every figure is the median of interleaved rounds of fake and ceiling, with its spread (benchmarks/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl benchmarks -am package -DskipTests
jar=$(ls harness/target/fake-homeserver-*-standalone.jar | head -1)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
# A fixed 4 GB heap: the heap growing mid-run (the million-event model needs ~1 GB) moved the figures after it.
exec java -Xms4g -Xmx4g -Dbench.standaloneJar="$jar" -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  dev.fakehomeserver.benchmarks.Bench "$@"
