-- POST /v1/notifications/decide for users drawn in turn from PREFIX+FIRST ..
-- PREFIX+(FIRST+N-1), template TEMPLATE; each decision is stored.
-- Usage: wrk -s decide.lua URL -- KEY N PREFIX FIRST TEMPLATE
local key, users, prefix, first, template
local counter = 0
function init(args)
  key = args[1]
  users = tonumber(args[2])
  prefix = args[3] or ""
  first = tonumber(args[4] or "0")
  template = args[5] or "bench"
end
function request()
  counter = counter + 1
  local user = prefix .. ((counter * 7919) % users + first)
  local body = '{"user_id":"' .. user .. '","template_id":"' .. template .. '"}'
  return wrk.format("POST", "/v1/notifications/decide",
                    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
