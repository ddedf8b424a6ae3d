# Maximum-size writes through the demo client against a running `vigie simulate`:
# python3 simulators/bench/max_writes.py BASE_URL PEOPLE WRITES_PER_PERSON DATASET.json
# (DATASET from `vigie dataset --sample PEOPLE`, same seed and population as the simulators).
import json, sys, urllib.request, time
base = sys.argv[1]; people = int(sys.argv[2]); per = int(sys.argv[3]); ds = json.load(open(sys.argv[4]))
def post(path, body, headers):
    req = urllib.request.Request(base + path, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r: return r.status, r.read()
    except urllib.error.HTTPError as e: return e.code, e.read()
def token(scope):
    st, b = post("/connexion/oauth2/access_token?realm=/agent", f"grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope={scope}".encode(), {"content-type": "application/x-www-form-urlencoded"})
    return json.loads(b)["access_token"]
pa = {"pa-nom-agent": "Martin", "pa-prenom-agent": "Henri", "pa-identifiant-agent": "BATCH"}
tr = token("api_rechercher-usagerv2%20rechercheusager%20profil_accedant")
td = token("api_diagnosticargumentev4%20diagnosticusageragent")
longest = "é" * 1000
ok = bad = 0
t0 = time.time()
for p in ds["sample"][:people]:
    st, b = post("/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", json.dumps({"nir": p["nir"], "dateNaissance": p["dateNaissance"]}).encode(), {"authorization": "Bearer " + tr, "content-type": "application/json", **pa})
    jeton = json.loads(b).get("jetonUsager")
    if not jeton: continue
    for _ in range(per):
        st, b = post("/partenaire/diagnosticargumente/v4/diagnostics", json.dumps({"idMetierChiffre": "NON_DEFINI", "nomMetier": longest, "codeTypologie": "MR"}).encode(), {"authorization": "Bearer " + td, "ft-jeton-usager": jeton, "content-type": "application/json", **pa})
        if st < 300: ok += 1
        else: bad += 1; print(st, b[:200]) if bad < 3 else None
print(f"{ok} writes accepted, {bad} refused, {time.time()-t0:.1f} s")
