"""Writes the request inputs of the spread-over-people benchmarks: for every person of a
`vigie dataset --sample K` file, the body of a recherche-usager v2 search (one JSON per
line), and the jeton usager of every person found who has a diagnostic dossier (one per
line: every `GET /dossiers` of the benchmark is a 200 with a dossier, never a cheaper 204).
Loopback only.

usage: python3 simulators/bench/people.py PORT SAMPLE.json BODIES.txt JETONS.txt
"""
import http.client, json, sys

port, sample_path, bodies_path, jetons_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
sample = json.load(open(sample_path))["sample"]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

def post(path, body, headers):
    conn.request("POST", path, body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read()

def access_token(scope):
    status, data = post(
        "/connexion/oauth2/access_token?realm=%2Fagent",
        "grant_type=client_credentials&client_id=vigie-demo&client_secret=vigie-demo-secret"
        "&scope=" + scope,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    return json.loads(data)["access_token"]


token = access_token("api_rechercher-usagerv2%20rechercheusager%20profil_accedant")
diagnostic_token = access_token("api_diagnosticargumentev4%20diagnosticusageragent")


def has_dossier(jeton):
    conn.request("GET", "/partenaire/diagnosticargumente/v4/dossiers", headers={
        "Authorization": "Bearer " + diagnostic_token, "ft-jeton-usager": jeton,
        "pa-nom-agent": "Bench", "pa-prenom-agent": "Bench", "pa-identifiant-agent": "BATCH",
    })
    r = conn.getresponse()
    r.read()
    return r.status == 200


headers = {
    "Content-Type": "application/json", "Authorization": "Bearer " + token,
    "pa-nom-agent": "Bench", "pa-prenom-agent": "Bench", "pa-identifiant-agent": "BATCH",
}
found = with_dossier = 0
with open(bodies_path, "w") as bodies, open(jetons_path, "w") as jetons:
    for person in sample:
        body = json.dumps({"nir": person["nir"], "dateNaissance": person["dateNaissance"]})
        bodies.write(body + "\n")
        status, data = post("/partenaire/rechercher-usager/v2/usagers/par-datenaissance-et-nir", body, headers)
        answer = json.loads(data) if status == 200 else {}
        if answer.get("codeRetour") == "S001":
            found += 1
            if has_dossier(answer["jetonUsager"]):
                jetons.write(answer["jetonUsager"] + "\n")
                with_dossier += 1
print(f"{len(sample)} bodies, {found} found, {with_dossier} jetons of people with a dossier")
