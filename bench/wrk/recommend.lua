-- GET recommendations for users drawn in turn from PREFIX1..PREFIXN
-- (MovieLens ids 1..943 by default). Usage:
--   wrk -s recommend.lua URL -- KEY [N] [QUERY] [PREFIX] [FIRST]
local key, users, query, prefix, first
local counter = 0
function init(args)
  key = args[1]
  users = tonumber(args[2] or "943")
  query = args[3] or "n=10"
  prefix = args[4] or ""
  first = tonumber(args[5] or "1")
end
function request()
  counter = counter + 1
  local user = prefix .. ((counter * 7919) % users + first)
  return wrk.format("GET", "/v1/users/" .. user .. "/recommendations?" .. query,
                    {["Authorization"] = "Bearer " .. key})
end
