#!/usr/bin/env bash
# Runs appservices built on real SDKs through the conformance kit of the standalone jar, one after the other:
# matrix-appservice-bridge and matrix-bot-sdk (npm), and matrix-nio's aiohttp pattern (Debian python3-matrix-nio).
# Prints each table and a summary; the known disagreements between the SDKs and the spec show up as the FAIL and
# WARN they are, so a MUST failure here does not fail CI: only a run that produced no table does.
# Usage: .ci/conformance-sdks/run.sh JAR [OUTDIR]   (docs/conformance.md shows the summary)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$1"
out="${2:-$(mktemp -d)}"
mkdir -p "$out"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

sdks=()
if timeout 20 npm view matrix-bot-sdk version >/dev/null 2>&1; then
  # Node resolves packages from the script's folder: the scripts run from the work folder, beside node_modules.
  cp "$here/package.json" "$here"/*.mjs "$work/"
  if (cd "$work" && timeout 300 npm install --ignore-scripts --no-audit --no-fund --loglevel=error >"$out/npm.log" 2>&1); then
    # Both SDKs load matrix-sdk-crypto-nodejs at import, whose native binary its install script fetches from
    # GitHub (skipped: --ignore-scripts). No check uses encryption: a stub module that accepts any use stands in.
    stub="$work/node_modules/@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu"
    mkdir -p "$stub"
    echo '{"name":"@matrix-org/matrix-sdk-crypto-nodejs-linux-x64-gnu","version":"0.0.0","main":"index.js"}' >"$stub/package.json"
    cat >"$stub/index.js" <<'JS'
const handler = { get: (t, p) => (p === "__esModule" || p === "then") ? undefined : (t[p] ??= new Proxy(function () {}, handler)) };
module.exports = new Proxy({}, handler);
JS
    sdks+=(appservice-bridge bot-sdk)
  else
    echo "conformance-sdks: npm install failed, skipping the npm SDKs (see $out/npm.log)"
  fi
else
  echo "conformance-sdks: skipped matrix-appservice-bridge and matrix-bot-sdk, the npm registry is unreachable"
fi
if ! /usr/bin/python3 -c 'import nio, aiohttp' 2>/dev/null && [ "$(id -u)" = 0 ]; then
  timeout 180 apt-get install -y -qq python3-matrix-nio python3-aiohttp >/dev/null 2>&1 || true
fi
if /usr/bin/python3 -c 'import nio, aiohttp' 2>/dev/null; then
  sdks+=(nio-aiohttp)
else
  echo "conformance-sdks: skipped matrix-nio, python3-matrix-nio and python3-aiohttp are not installable here"
fi

failed=0
for sdk in "${sdks[@]}"; do
  hs=$(free_port); as=$(free_port)
  hs_token="hs-$sdk-$RANDOM$RANDOM"; as_token="as-$sdk-$RANDOM$RANDOM"
  cat >"$work/$sdk.yaml" <<YAML
id: sdk
url: http://127.0.0.1:$as
as_token: $as_token
hs_token: $hs_token
sender_localpart: sdkbot
namespaces:
  users: [{exclusive: true, regex: '@sdk_.*:test'}]
  aliases: [{exclusive: true, regex: '#sdk_.*:test'}]
  rooms: []
YAML
  java -jar "$jar" conformance --registration "$work/$sdk.yaml" --port "$hs" --probe probe --timeout 5 --wait 60 \
      >"$out/$sdk.txt" 2>&1 &
  kit=$!
  # Start the SDK only once the kit's homeserver answers: bot-sdk asks it at start-up and exits on ECONNREFUSED.
  /usr/bin/python3 - "$hs" <<'PY2'
import sys, time, urllib.request
for _ in range(600):
    try:
        urllib.request.urlopen("http://127.0.0.1:%s/_matrix/client/versions" % sys.argv[1], timeout=1); sys.exit(0)
    except Exception:
        time.sleep(0.1)
PY2
  case "$sdk" in
    appservice-bridge) (cd "$work" && exec node "$work/appservice-bridge.mjs" "$hs" "$as" "$work/$sdk.yaml") ;;
    bot-sdk) (cd "$work" && exec node "$work/bot-sdk.mjs" "$hs" "$as" "$hs_token" "$as_token") ;;
    nio-aiohttp) exec /usr/bin/python3 "$here/nio-aiohttp.py" "$hs" "$as" "$hs_token" "$as_token" ;;
  esac >"$out/$sdk.log" 2>&1 &
  pids+=($!)
  wait "$kit"; code=$?
  kill "${pids[-1]}" 2>/dev/null; wait "${pids[-1]}" 2>/dev/null
  echo "---- $sdk (kit exit code $code) ----"
  cat "$out/$sdk.txt"
  if ! grep -q ' checks: ' "$out/$sdk.txt"; then
    echo "conformance-sdks: $sdk produced no table (its log: $(tail -5 "$out/$sdk.log"))"
    failed=1
  fi
done

echo "conformance-sdks: summary (check: ${sdks[*]})"
python3 - "$out" "${sdks[@]}" <<'PY'
import re, sys
out, sdks = sys.argv[1], sys.argv[2:]
rows = {}
for sdk in sdks:
    for line in open(f"{out}/{sdk}.txt", encoding="utf-8"):
        m = re.match(r"^(PASS|FAIL|WARN|SKIP)\s+(MUST|SHOULD)\s+(\S+)", line)
        if m:
            rows.setdefault((m.group(3), m.group(2)), {})[sdk] = m.group(1)
print("| check | level | " + " | ".join(sdks) + " |")
print("|---|---|" + "---|" * len(sdks))
for (check, level), by in rows.items():
    print(f"| {check} | {level} | " + " | ".join(by.get(s, "-") for s in sdks) + " |")
PY
exit "$failed"
