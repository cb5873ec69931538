-- POST batches of events read from a file made by bench/run.sh.
-- Usage: wrk -s post_batch.lua URL -- KEY BODY_FILE
local key, body
function init(args)
  key = args[1]
  local f = assert(io.open(args[2], "r"))
  body = f:read("*a")
  f:close()
end
function request()
  return wrk.format("POST", "/v1/events",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
