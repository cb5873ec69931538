-- GET /v1/users/{id}/profile for users drawn in turn from PREFIX+FIRST ..
-- PREFIX+(FIRST+N-1). Usage: wrk -s profile.lua URL -- KEY [N] [PREFIX] [FIRST]
local key, users, prefix, first
local counter = 0
function init(args)
  key = args[1]
  users = tonumber(args[2] or "943")
  prefix = args[3] or ""
  first = tonumber(args[4] or "1")
end
function request()
  counter = counter + 1
  local user = prefix .. ((counter * 7919) % users + first)
  return wrk.format("GET", "/v1/users/" .. user .. "/profile", {["Authorization"] = "Bearer " .. key})
end
