-- wrk script: POST recherche-usager v2 with one of many bodies per request, read from $BODIES
-- (one JSON per line), so that the people searched are spread over the population.
-- Also needs AUTH (the Authorization header value).
local bodies = {}
for line in io.lines(os.getenv("BODIES")) do
  bodies[#bodies + 1] = line
end
local auth = os.getenv("AUTH")
local i = 0
request = function()
  -- Each in turn: every one is read once before any is read again (a stride through
  -- the list could come back early, depending on its length).
  i = (i + 1) % #bodies
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = auth,
    ["pa-nom-agent"] = "Bench", ["pa-prenom-agent"] = "Bench", ["pa-identifiant-agent"] = "BATCH",
  }, bodies[i + 1])
end
