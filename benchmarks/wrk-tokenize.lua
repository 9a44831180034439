-- wrk: POST /v1/tokenize with one text a request, cycling through the lines of $TEXTS
-- (a request per line, JSON-escaped by a tiny encoder), for model $MODEL.
local model = os.getenv("MODEL") or "wordpiece"
local bodies = {}
local function escape(s)
  return (s:gsub('[%c"\\]', function(c)
    if c == '"' then return '\\"' elseif c == "\\" then return "\\\\" else return string.format("\\u%04x", c:byte()) end
  end))
end
for line in io.lines(os.getenv("TEXTS")) do
  if #line > 0 and #bodies < 1000 then
    bodies[#bodies + 1] = '{"model":"' .. model .. '","texts":["' .. escape(line) .. '"]}'
  end
end
local n = 0
request = function()
  n = n % #bodies + 1
  return wrk.format("POST", "/v1/tokenize", { ["Content-Type"] = "application/json" }, bodies[n])
end
