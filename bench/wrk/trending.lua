-- GET /v1/items/trending (served from memory).
-- Usage: wrk -s trending.lua URL -- KEY
local key
function init(args) key = args[1] end
function request()
  return wrk.format("GET", "/v1/items/trending?n=10", {["Authorization"] = "Bearer " .. key})
end
