#!/usr/bin/env bash
# Builds the harness's standalone jar and this module, then prints every benchmark figure beside its ceiling
# (measured in the same run), the ratio and the target, and a summary. `--quick` runs each briefly: CI calls it so
# the benchmarks keep building and running; it makes no timing assertion. `--markdown FILE` also writes the table.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl benchmarks -am package -DskipTests
jar=$(ls harness/target/fake-homeserver-*-standalone.jar | head -1)
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
exec java -Xmx4g -Dbench.standaloneJar="$jar" -cp "benchmarks/target/classes:benchmarks/target/lib/*" \
  dev.fakehomeserver.benchmarks.Bench "$@"
