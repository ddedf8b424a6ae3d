-- wrk script: GET with one of many jetons usager per request, read from $JETONS (one per
-- line), so that the people read are spread and the server's cache of rendered reads misses.
-- Also needs AUTH (the Authorization header value).
local jetons = {}
for line in io.lines(os.getenv("JETONS")) do
  jetons[#jetons + 1] = line
end
local auth = os.getenv("AUTH")
local i = 0
request = function()
  -- Each in turn: every one is read once before any is read again (a stride through
  -- the list could come back early, depending on its length).
  i = (i + 1) % #jetons
  return wrk.format("GET", nil, {
    ["Authorization"] = auth,
    ["pa-nom-agent"] = "Bench", ["pa-prenom-agent"] = "Bench", ["pa-identifiant-agent"] = "BATCH",
    ["ft-jeton-usager"] = jetons[i + 1],
  })
end
