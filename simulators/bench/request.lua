-- wrk script: one request described by environment variables.
-- METHOD, BODY (optional), and HEADERS as "name: value|name: value".
wrk.method = os.getenv("METHOD") or "GET"
local body = os.getenv("BODY")
if body and #body > 0 then
  wrk.body = body
end
local headers = os.getenv("HEADERS") or ""
for pair in string.gmatch(headers, "([^|]+)") do
  local name, value = string.match(pair, "^%s*([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end
