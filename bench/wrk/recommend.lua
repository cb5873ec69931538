-- GET recommendations for users drawn in turn from 1..N (MovieLens ids by
-- default). Usage: wrk -s recommend.lua URL -- KEY [N] [QUERY]
local key, users, query
local counter = 0
function init(args)
  key = args[1]
  users = tonumber(args[2] or "943")
  query = args[3] or "n=10"
end
function request()
  counter = counter + 1
  local user = (counter * 7919) % users + 1
  return wrk.format("GET", "/v1/users/" .. user .. "/recommendations?" .. query,
                    {["Authorization"] = "Bearer " .. key})
end
