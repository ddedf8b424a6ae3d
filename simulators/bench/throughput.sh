#!/usr/bin/env bash
# Requests/s of the simulators against a minimal axum handler and Stoplight Prism, on
# loopback: each server pinned to CPU 0, wrk pinned to CPU 1, same load for all.
# Needs: wrk (Debian), Prism (`npm install @stoplight/prism-cli@5.14.2` in $PRISM_DIR),
# a release build (`cargo build --release -p harness -p simulators --bins --examples`).
# Prints every run, then the ratios to the handlers and, last, issue 17's floors against a
# warmed-up Prism (medians of the rounds), each marked met or NOT MET.
# Usage: bash simulators/bench/throughput.sh [seconds] [connections] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
CONNS=${2:-16}
ROUNDS=${3:-3}
PRISM_DIR=${PRISM_DIR:-/tmp/prism}
PA="pa-nom-agent: Bench|pa-prenom-agent: Bench|pa-identifiant-agent: BATCH"
SCRIPT=simulators/bench/request.lua
export METHOD BODY HEADERS AUTH

run() { # round name url
  local out
  out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -s "$SCRIPT" "$3")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$rps" "$p50" "$p99" "${non2xx:-0}"
}

wait_port() { for _ in $(seq 1 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }

echo "| round | target | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|---|"

# 1. The simulators (10 million people) and the baselines (a minimal axum handler sending a
# fixed body), both up at once on CPU 0 and measured in alternation, ROUNDS times, so that
# the VM's drift lands on both sides; the ratios are the medians of the rounds.
target/release/vigie dataset --people 10000000 --sample 1 --out /tmp/vigie-bench-dataset.json >/dev/null
read -r NIR DOB < <(python3 -c 'import json;s=json.load(open("/tmp/vigie-bench-dataset.json"))["sample"][0];print(s["nir"],s["dateNaissance"])')
taskset -c 0 target/release/vigie simulate --port 8498 --people 10000000 >/dev/null & S=$!
wait_port 8498
tok() { curl -s -X POST "http://127.0.0.1:8498/connexion/oauth2/access_token?realm=%2Fagent" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=$1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'; }
TR=$(tok "api_rechercher-usagerv2%20rechercheusager%20profil_accedant")
TD=$(tok "api_diagnosticargumentev4%20diagnosticusageragent")
BODY_R="{\"nir\":\"$NIR\",\"dateNaissance\":\"$DOB\"}"
JETON=$(curl -s -X POST http://127.0.0.1:8498/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir -H "Authorization: Bearer $TR" \
  -H 'pa-nom-agent: B' -H 'pa-prenom-agent: B' -H 'pa-identifiant-agent: BATCH' -H 'Content-Type: application/json' -d "$BODY_R" | python3 -c 'import json,sys;print(json.load(sys.stdin)["jetonUsager"])')
curl -s http://127.0.0.1:8498/partenaire/diagnosticargumente/v4/dossiers -H "Authorization: Bearer $TD" \
  -H 'pa-nom-agent: B' -H 'pa-prenom-agent: B' -H 'pa-identifiant-agent: BATCH' -H "ft-jeton-usager: $JETON" > /tmp/vigie-bench-dossier.json
taskset -c 0 target/release/examples/baseline 8499 /tmp/vigie-bench-dossier.json & B=$!
wait_port 8499
RATIOS=$(mktemp)
rps() { awk -F'|' '{gsub(/ /,"",$4); print $4}' <<<"$1"; }
for round in $(seq 1 "$ROUNDS"); do
  METHOD=POST BODY="$BODY_R" HEADERS="Content-Type: application/json|Authorization: Bearer $TR|$PA"
  a=$(run "$round" "vigie simulate: recherche-usager v2 (S001)" http://127.0.0.1:8498/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir)
  # The baseline gets the very same request (token and pa-* headers, body): parsing them is
  # the HTTP stack's work, not the simulator's.
  METHOD=POST BODY="$BODY_R" HEADERS="Content-Type: application/json|Authorization: Bearer $TR|$PA"
  b=$(run "$round" "axum fixed JSON, 0.6 kB (baseline of recherche)" http://127.0.0.1:8499/fixed)
  METHOD=GET BODY="" HEADERS="Authorization: Bearer $TD|$PA|ft-jeton-usager: $JETON"
  c=$(run "$round" "vigie simulate: diagnostic v4 GET /dossiers" http://127.0.0.1:8498/partenaire/diagnosticargumente/v4/dossiers)
  METHOD=GET BODY="" HEADERS="Authorization: Bearer $TD|$PA|ft-jeton-usager: $JETON"
  d=$(run "$round" "axum fixed JSON, $(wc -c </tmp/vigie-bench-dossier.json) B (baseline of /dossiers)" http://127.0.0.1:8499/file)
  printf '%s\n%s\n%s\n%s\n' "$a" "$b" "$c" "$d"
  echo "$(rps "$a") $(rps "$b") $(rps "$c") $(rps "$d")" >>"$RATIOS"
done

# 2. The same, with the people spread: each request names the next of some 2 800 people of
# the 10 million in turn (a search body; for /dossiers the jeton of one of the ~2 500 of them
# who have a dossier, so that every answer is a dossier), so nothing the simulators keep per
# person is reused. The /dossiers baseline still sends one person's dossier (31.7 kB with
# the seed's draws of 2026-11-30), the people read average 31.0 kB.
# The baselines get the very same requests from the very same Lua generator (wrk is slower
# when a script builds each request, so both sides must pay it).
target/release/vigie dataset --people 10000000 --sample 3000 --out /tmp/vigie-bench-sample.json >/dev/null
python3 simulators/bench/people.py 8498 /tmp/vigie-bench-sample.json /tmp/vigie-bench-bodies.txt /tmp/vigie-bench-jetons.txt >/dev/null
SPREAD=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  export BODIES=/tmp/vigie-bench-bodies.txt JETONS=/tmp/vigie-bench-jetons.txt
  AUTH="Bearer $TR" SCRIPT=simulators/bench/rotate_search.lua
  a=$(run "$round" "spread: recherche-usager v2" http://127.0.0.1:8498/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir)
  b=$(run "$round" "spread: axum fixed JSON, 0.6 kB" http://127.0.0.1:8499/fixed)
  AUTH="Bearer $TD" SCRIPT=simulators/bench/rotate.lua
  c=$(run "$round" "spread: diagnostic v4 GET /dossiers" http://127.0.0.1:8498/partenaire/diagnosticargumente/v4/dossiers)
  d=$(run "$round" "spread: axum fixed JSON, same bytes" http://127.0.0.1:8499/file)
  printf '%s\n%s\n%s\n%s\n' "$a" "$b" "$c" "$d"
  echo "$(rps "$a") $(rps "$b") $(rps "$c") $(rps "$d")" >>"$SPREAD"
done
SCRIPT=simulators/bench/request.lua
kill $S $B; wait $S $B 2>/dev/null || true
python3 - "$RATIOS" "$SPREAD" <<'PY'
import statistics, sys
for label, path in (("one person", sys.argv[1]), ("people spread", sys.argv[2])):
    rows = [list(map(float, l.split())) for l in open(path) if l.strip()]
    r = [a / b * 100 for a, b, _, _ in rows]
    d = [c / e * 100 for _, _, c, e in rows]
    print()
    print(f"{label}: recherche v2 / minimal handler: rounds " + ", ".join(f"{x:.1f} %" for x in r) + f"; median {statistics.median(r):.1f} %")
    print(f"{label}: /dossiers v4 / same-bytes handler: rounds " + ", ".join(f"{x:.1f} %" for x in d) + f"; median {statistics.median(d):.1f} %")
PY
echo

# 3. Prism mocking the official documents, on the same core. Node compiles as it runs: its
# first seconds answer about half as fast as later ones, so Prism gets one run of the same
# length first (shown, not counted), then ROUNDS measured runs; the ratios use their median.
PRISM=$(mktemp)
for doc in rechercher-usager diagnostic-usager; do
  port=$([ "$doc" = rechercher-usager ] && echo 4010 || echo 4011)
  taskset -c 0 node "$PRISM_DIR/node_modules/@stoplight/prism-cli/dist/index.js" mock -p "$port" -h 127.0.0.1 "contracts/openapi/$doc.json" >/tmp/prism-$doc.log 2>&1 & P=$!
  wait_port "$port"
  if [ "$doc" = rechercher-usager ]; then
    METHOD=POST BODY='{"nir":"1720678355011","dateNaissance":"1972-06-01"}' HEADERS="Content-Type: application/json|Authorization: Bearer x|$PA"
    url="http://127.0.0.1:$port/usagers/par-datenaissance-et-nir" label="Prism 5.14.2: rechercher-usager.json"
    bytes=$(curl -s -m 10 -X POST "$url" -H 'Content-Type: application/json' -H 'Authorization: Bearer x' -H 'pa-nom-agent: B' -H 'pa-prenom-agent: B' -H 'pa-identifiant-agent: B' -d "$BODY" | wc -c)
  else
    METHOD=GET BODY="" HEADERS="Authorization: Bearer x|$PA|ft-jeton-usager: x"
    url="http://127.0.0.1:$port/dossiers" label="Prism 5.14.2: diagnostic-usager.json GET /dossiers"
    bytes=$(curl -s -m 10 "$url" -H 'Authorization: Bearer x' -H 'pa-nom-agent: B' -H 'pa-prenom-agent: B' -H 'pa-identifiant-agent: B' -H 'ft-jeton-usager: x' | wc -c)
  fi
  run warm-up "$label (not counted)" "$url"
  for round in $(seq 1 "$ROUNDS"); do
    r=$(run "$round" "$label, $bytes B" "$url")
    echo "$r"
    echo "$doc $bytes $(rps "$r")" >>"$PRISM"
  done
  kill $P; wait $P 2>/dev/null || true
done

# 4. The floors of issue 17: each of recherche v2 and /dossiers v4 (people spread) at least
# 20 times Prism's requests per second on the same document (medians of the rounds). Also
# shown, not a floor: the same per byte sent, since Prism answers the document's example and
# the simulators a drawn person's answer.
python3 - "$SPREAD" "$PRISM" /tmp/vigie-bench-dossier.json <<'PY'
import statistics, sys
spread = [list(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
prism = {}
for l in open(sys.argv[2]):
    doc, size, rps = l.split()
    prism.setdefault(doc, (int(size), []))[1].append(float(rps))
ours = {"rechercher-usager": statistics.median(r[0] for r in spread),
        "diagnostic-usager": statistics.median(r[2] for r in spread)}
print()
for doc, label in (("rechercher-usager", "recherche v2, people spread"), ("diagnostic-usager", "GET /dossiers v4, people spread")):
    size, runs = prism[doc]
    p = statistics.median(runs)
    ratio = ours[doc] / p
    verdict = "met" if ratio >= 20 else "NOT MET"
    print(f"{label}: {ours[doc]:.0f} req/s, Prism {p:.0f} req/s ({size} B per answer): {ratio:.1f}x (floor 20x: {verdict})")
import os
dossier = os.path.getsize(sys.argv[3])
size, runs = prism["diagnostic-usager"]
print(f"per byte, not a floor: /dossiers {dossier} B (one person's dossier) against Prism's {size} B: "
      f"{ours['diagnostic-usager'] * dossier / (statistics.median(runs) * size):.1f}x")
PY
rm -f "$RATIOS" "$SPREAD" "$PRISM"
