#!/usr/bin/env bash
# A/B of two vigie binaries on GET /dossiers v4, people spread: both serve 10 million people
# at once (pinned to CPU 0), wrk on CPU 1 alternates between them, 3 rounds of 8 s.
# Usage: OLD=path/to/old/vigie NEW=target/release/vigie bash simulators/bench/ab_dossiers.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PA="pa-nom-agent: Bench|pa-prenom-agent: Bench|pa-identifiant-agent: BATCH"
wait_port() { for _ in $(seq 1 100); do (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; exit 1; }
OLD=${OLD:-/tmp/vigie_old}; NEW=${NEW:-target/release/vigie}
taskset -c 0 "$OLD" simulate --port 8501 --people 10000000 >/dev/null & O=$!
taskset -c 0 "$NEW" simulate --port 8502 --people 10000000 >/dev/null & N=$!
wait_port 8501; wait_port 8502
target/release/vigie dataset --people 10000000 --sample 3000 --out /tmp/cmp-sample.json >/dev/null
for p in 8501 8502; do
  python3 simulators/bench/people.py $p /tmp/cmp-sample.json /tmp/cmp-bodies-$p.txt /tmp/cmp-jetons-$p.txt >/dev/null
done
tok() { curl -s -X POST "http://127.0.0.1:$1/connexion/oauth2/access_token?realm=%2Fagent" -H 'Content-Type: application/x-www-form-urlencoded' \
  -d "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=api_diagnosticargumentev4%20diagnosticusageragent" | python3 -c 'import json,sys;print(json.load(sys.stdin)["access_token"])'; }
export METHOD=GET BODY="" HEADERS="$PA"
for round in 1 2 3; do
  for p in 8501 8502; do
    export BODIES=/tmp/cmp-bodies-$p.txt JETONS=/tmp/cmp-jetons-$p.txt AUTH="Bearer $(tok $p)"
    out=$(taskset -c 1 wrk -t1 -c16 -d8s -s simulators/bench/rotate.lua http://127.0.0.1:$p/partenaire/diagnosticargumente/v4/dossiers)
    echo "round $round $([ $p = 8501 ] && echo old || echo new) $(awk '/Requests\/sec/ {print $2}' <<<"$out") non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out")"
  done
done
kill $O $N
