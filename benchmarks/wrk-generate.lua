-- wrk: POST /v1/generate, a streamed generation of $TOKENS tokens (temperature 1, top-k 40)
-- from model $MODEL, a new seed each request. Each connection is one stream at a time, so
-- -c16 keeps 16 streams going; tokens per second = requests per second × $TOKENS.
local model = os.getenv("MODEL") or "austen-lm"
local tokens = os.getenv("TOKENS") or "100"
local seed = 0
request = function()
  seed = seed + 1
  local body = '{"model":"' .. model .. '","prompt":"it is a truth","max_tokens":' .. tokens
    .. ',"temperature":1,"top_k":40,"seed":' .. seed .. ',"stream":true}'
  return wrk.format("POST", "/v1/generate", { ["Content-Type"] = "application/json" }, body)
end
