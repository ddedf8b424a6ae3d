#!/usr/bin/env bash
# Fuzzes the running simulators from the OpenAPI documents they serve, with schemathesis
# (PyPI): every operation of both versions, valid platform headers given so that the bodies,
# paths and parameters get fuzzed. Loopback only, bounded by --max-examples.
# Checks: no 5xx, every status documented, every body and content type conforms.
# With FUZZ_CONTRACTS=DIR, the simulators serve that contracts folder too and every version
# it adds (imported APIs and versions, answered from their contracts) is fuzzed the same way.
# Usage: [FUZZ_CONTRACTS=DIR] [VIGIE=path/to/vigie] bash simulators/bench/fuzz.sh [examples-per-operation]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-300}
VIGIE=${VIGIE:-target/release/vigie}
EXTRA=()
if [ -n "${FUZZ_CONTRACTS:-}" ]; then EXTRA=(--contracts "$FUZZ_CONTRACTS"); fi
PORT=8497
OUT=${FUZZ_OUT:-/tmp/vigie-fuzz}
rm -rf "$OUT"; mkdir -p "$OUT"
$VIGIE simulate --port $PORT --people 100000 "${EXTRA[@]}" >"$OUT/simulate.log" 2>&1 & S=$!
trap 'kill $S 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (echo >/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
B=http://127.0.0.1:$PORT
tok() { curl -s -X POST "$B/connexion/oauth2/access_token?realm=%2F$1" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=$2" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'; }
TN=$(tok agent "api_rechercher-usagerv2%20rechercheusager%20profil_accedant%20api_contrat-usagerv2%20statutcontratusager%20api_diagnosticargumentev4%20diagnosticusageragent%20api_metiers-projets-entreprisesv2%20ciblepro")
TP=$(tok partenaire "api_rechercher-usagerv1%20api_contrat-usagerv1%20api_diagnosticargumentev1%20api_metiers-profil-competencesv1%20ciblepro%20api_projet-creation-entreprisev1")
$VIGIE dataset --sample 1 --out "$OUT/dataset.json" >/dev/null
BODY=$(python3 -c 'import json;s=json.load(open("'"$OUT"'/dataset.json"))["sample"][0];print(json.dumps({"nir":s["nir"],"dateNaissance":s["dateNaissance"]}))')
JETON=$(curl -s -X POST "$B/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir" -H "Authorization: Bearer $TN" \
  -H 'pa-nom-agent: Fuzz' -H 'pa-prenom-agent: Fuzz' -H 'pa-identifiant-agent: BATCH' -H 'Content-Type: application/json' -d "$BODY" \
  | python3 -c 'import json,sys;print(json.load(sys.stdin)["jetonUsager"])')
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
total=0
BUILT="recherche-usager/v1 statut-usager/v1 diagnostic-individu/v1 metiers-recherches/v1 creation-entreprise/v1
       recherche-usager/v2 statut-usager/v2 diagnostic-individu/v4 metiers-recherches/v2 creation-entreprise/v2"
# The versions a contracts folder adds, each with its realm and scopes: "api/version realm scopes".
IMPORTED=$(curl -s "$B/openapi" | BUILT="$BUILT" python3 -c '
import json, os, sys
built = set(os.environ["BUILT"].split())
for a in json.load(sys.stdin)["apis"]:
    key = a["api"] + "/" + a["version"]
    if a["api"] != "plateforme" and key not in built:
        print(key, a["realm"].strip("/"), "%20".join(a["scopes"]))')
DOCS=$BUILT
while read -r key _; do [ -n "$key" ] && DOCS="$DOCS $key"; done <<<"$IMPORTED"
for doc in $DOCS; do
  name=${doc//\//-}
  imported=$(grep -E "^$doc " <<<"$IMPORTED" || true)
  if [ -n "$imported" ]; then
    read -r _ realm scopes <<<"$imported"
    TI=$(tok "$realm" "$scopes%20api_rechercher-usagerv2%20rechercheusager%20profil_accedant")
    H=(-H "Authorization: Bearer $TI" -H "pa-nom-agent: Fuzz" -H "pa-prenom-agent: Fuzz" -H "pa-identifiant-agent: BATCH" -H "ft-jeton-usager: $JETON")
  else
    case $doc in
      */v1) H=(-H "Authorization: Bearer $TP") ;;
      *) H=(-H "Authorization: Bearer $TN" -H "pa-nom-agent: Fuzz" -H "pa-prenom-agent: Fuzz" -H "pa-identifiant-agent: BATCH" -H "ft-jeton-usager: $JETON") ;;
    esac
  fi
  set +e
  schemathesis run "$B/openapi/$doc" "${H[@]}" --checks "$CHECKS" -n "$N" --request-timeout 10 \
    --generation-deterministic --report har --report-dir "$OUT/$name" --no-color >"$OUT/$name.log" 2>&1
  rc=$?
  set -e
  calls=$(python3 -c 'import json,glob;print(sum(len(json.load(open(f))["log"]["entries"]) for f in glob.glob("'"$OUT/$name"'/*.json")))' 2>/dev/null || echo 0)
  total=$((total + calls))
  printf '%-32s exit %s  requests %6s  %s\n' "$doc" "$rc" "$calls" "$(grep -E '^(Test cases|API Operations)' "$OUT/$name.log" | tr '\n' ' ')"
done
echo "total requests: $total"
