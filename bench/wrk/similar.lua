-- GET similar items of one item. Usage: wrk -s similar.lua URL -- KEY ITEM_ID
local key, item
function init(args) key = args[1]; item = args[2] end
function request()
  return wrk.format("GET", "/v1/items/" .. item .. "/similar?n=10", {["Authorization"] = "Bearer " .. key})
end
