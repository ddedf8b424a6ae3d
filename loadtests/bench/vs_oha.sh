#!/usr/bin/env bash
# Requests/s that `vigie load` drives against the simulators, beside oha on the same server
# and endpoints, in the same run: server on CPU 0, load generator on CPU 1, 16 connections
# (oha) or 16 users without think time (vigie load), 10 s each, alternated ROUNDS times.
# Needs: oha (`cargo install oha`), a release build (`cargo build --release -p harness`).
# Usage: bash loadtests/bench/vs_oha.sh [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
ROUNDS=${2:-3}
OHA=${OHA:-oha}
wait_port() { for _ in $(seq 1 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; echo "port $1 did not open" >&2; exit 1; }
target/release/vigie dataset --sample 500 --out /tmp/vigie-load-dataset.json >/dev/null
taskset -c 0 target/release/vigie simulate --port 8497 >/dev/null & S=$!
trap 'kill $S 2>/dev/null || true' EXIT
wait_port 8497
B=http://127.0.0.1:8497
tok() { curl -s -X POST "$B/connexion/oauth2/access_token?realm=%2Fagent" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=$1" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'; }
TR=$(tok "api_rechercher-usagerv2%20rechercheusager%20profil_accedant")
TS=$(tok "api_contrat-usagerv2%20statutcontratusager%20profil_accedant")
read -r NIR DOB < <(python3 -c 'import json;s=json.load(open("/tmp/vigie-load-dataset.json"))["sample"][0];print(s["nir"],s["dateNaissance"])')
BODY="{\"nir\":\"$NIR\",\"dateNaissance\":\"$DOB\"}"
PA=(-H 'pa-nom-agent: Bench' -H 'pa-prenom-agent: Bench' -H 'pa-identifiant-agent: BATCH')
JETON=$(curl -s -X POST "$B/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir" -H "Authorization: Bearer $TR" "${PA[@]}" \
  -H 'Content-Type: application/json' -d "$BODY" | python3 -c 'import json,sys;print(json.load(sys.stdin)["jetonUsager"])')
rps_oha() { taskset -c 1 "$OHA" --no-tui --output-format json -z "${SECS}s" -c 16 "$@" | python3 -c 'import json,sys;print(round(json.load(sys.stdin)["summary"]["requestsPerSec"]))'; }
echo "| round | vigie load, statut-usager scenario (search + statut), 16 users | oha GET statut v2 | oha POST recherche v2 |"
echo "|---|---|---|---|"
for r in $(seq 1 "$ROUNDS"); do
  v=$(VIGIE_CLIENT_ID=vigie-demo VIGIE_CLIENT_SECRET=vigie-demo-secret taskset -c 1 target/release/vigie load --target "$B" \
      --dataset /tmp/vigie-load-dataset.json --scenario statut-usager --users 16 --think-ms 0 --run-time "$SECS" --max-requests 100000000 \
      --json /tmp/vigie-load-bench.json >/dev/null || true; python3 -c 'import json;print(json.load(open("/tmp/vigie-load-bench.json"))["requests_per_s"])')
  a=$(rps_oha -H "Authorization: Bearer $TS" "${PA[@]}" -H "ft-jeton-usager: $JETON" "$B/partenaire/contrat-usager/v2/contrat")
  b=$(rps_oha -m POST -H "Authorization: Bearer $TR" "${PA[@]}" -H 'Content-Type: application/json' -d "$BODY" "$B/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir")
  echo "| $r | $v | $a | $b |"
done
