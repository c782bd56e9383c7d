#!/usr/bin/env bash
# The consumer check (called by .ci/run after `mvn verify`): the README's consumer pom, as a project of its own,
# builds and passes its test against our artifacts installed into a fresh private local repository (never
# ~/.m2), and a deliberately failing test there shows the appservice section in its failure message.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
consumer="$root/.ci/consumer"
repo=$(mktemp -d)
trap 'rm -rf "$repo"' EXIT
mvn_fresh() { mvn -B -ntp -s "$consumer/settings.xml" -Dmaven.repo.local="$repo" "$@"; }

# 1. The README's pom is the consumer's pom, to the byte.
python3 - "$root/README.md" "$consumer/pom.xml" <<'PY'
import sys
readme = open(sys.argv[1], encoding="utf-8").read()
marker = "<!-- the consumer pom: .ci/consumer/pom.xml -->"
if marker not in readme:
    sys.exit("consumer: README.md lost its consumer pom marker")
block = readme.split(marker, 1)[1].split("```xml\n", 1)[1].split("```", 1)[0]
if block != open(sys.argv[2], encoding="utf-8").read():
    sys.exit("consumer: README.md's consumer pom differs from .ci/consumer/pom.xml")
PY

# 2. Our published modules into the fresh repository (tests ran in the verify before; they are not compiled again).
mvn_fresh -q install -pl harness,junit5-extension -am -Dmaven.test.skip=true
for jar in fake-homeserver fake-homeserver-junit5; do
  for kind in "" -sources -javadoc; do
    f="$repo/dev/fakehomeserver/$jar/0.1.0-SNAPSHOT/$jar-0.1.0-SNAPSHOT$kind.jar"
    [ -f "$f" ] || { echo "consumer: $f was not installed"; exit 1; }
  done
done

# 3. The consumer's own test passes.
out=$(mvn_fresh -f "$consumer/pom.xml" test 2>&1) || { echo "$out" | tail -40; echo "consumer: the test failed"; exit 1; }
# (DeliberatelyFailingTest counts as skipped: it runs only when step 4 enables it.)
grep -q 'Tests run: 2, Failures: 0, Errors: 0, Skipped: 1' <<<"$out" \
    || { echo "$out" | tail -40; echo "consumer: no JUnit 5 test ran"; exit 1; }

# 4. The deliberately failing test fails, and its message names the appservice and what became of the event.
if mvn_fresh -q -f "$consumer/pom.xml" test -Dconsumer.deliberatelyFailing=true \
    -Dtest=DeliberatelyFailingTest >/dev/null 2>&1; then
  echo "consumer: the deliberately failing test passed"; exit 1
fi
report="$consumer/target/surefire-reports/com.example.pingbot.DeliberatelyFailingTest.txt"
for want in "Appservice pingbot, which @pingbot:test belongs to:" "Push state of pingbot: up" \
    "pingbot acknowledged it"; do
  grep -qF "$want" "$report" || { cat "$report"; echo "consumer: the failure message lacks: $want"; exit 1; }
done
rm -rf "$consumer/target"
echo "consumer: the README's pom builds, runs its JUnit 5 test, and a failing test shows the appservice section"
