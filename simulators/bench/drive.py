"""Drives a running `vigie simulate` with a bounded, loopback-only journey, then prints the
server's resident memory. Used for the memory figures of BENCHMARKS.md.

usage: python3 simulators/bench/drive.py PORT PID SAMPLE.json CALLS
(SAMPLE.json from `vigie dataset --people N --sample K`)
"""
import http.client, json, sys

port, pid = int(sys.argv[1]), int(sys.argv[2])
sample = json.load(open(sys.argv[3]))["sample"]
calls = int(sys.argv[4])

def post(path, body, headers, ctype="application/json"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", path, body=body, headers={"Content-Type": ctype, **headers})
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data

def get(path, headers):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path, headers=headers)
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, data

def token(realm, scope):
    s, d = post("/connexion/oauth2/access_token?realm=%2F" + realm,
                "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret&scope=" + scope.replace(" ", "%20"),
                {}, "application/x-www-form-urlencoded")
    return json.loads(d)["access_token"]

def rss():
    fields = {}
    for line in open(f"/proc/{pid}/status"):
        k, _, v = line.partition(":")
        fields[k] = v.strip()
    return fields["VmRSS"], fields["VmHWM"]

print("before:", rss())
t_r = token("agent", "api_rechercher-usagerv2 rechercheusager profil_accedant")
t_d = token("agent", "api_diagnosticargumentev4 diagnosticusageragent")
pa = {"pa-nom-agent": "Bench", "pa-prenom-agent": "Bench", "pa-identifiant-agent": "BATCH"}
found = 0
statuses = {}
for i in range(calls):
    person = sample[i % len(sample)]
    s, d = post("/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir",
                json.dumps({"nir": person["nir"], "dateNaissance": person["dateNaissance"]}), {"Authorization": "Bearer " + t_r, **pa})
    statuses[s] = statuses.get(s, 0) + 1
    j = json.loads(d).get("jetonUsager") if s == 200 else None
    if j:
        found += 1
        s2, _ = get("/partenaire/diagnosticargumente/v4/dossiers", {"Authorization": "Bearer " + t_d, "ft-jeton-usager": j, **pa})
        statuses[s2] = statuses.get(s2, 0) + 1
        if found % 10 == 0:
            s3, _ = post("/partenaire/diagnosticargumente/v4/pouvoiragir", json.dumps({"confiance": "OUI", "accompagnement": "NON"}),
                         {"Authorization": "Bearer " + t_d, "ft-jeton-usager": j, **pa})
            statuses[s3] = statuses.get(s3, 0) + 1
print("calls:", calls, "people found:", found, "statuses:", statuses)
print("after: VmRSS, VmHWM =", rss())
