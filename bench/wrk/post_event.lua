-- POST one event per request (no event_id: every request stores a new row).
-- Usage: wrk -s post_event.lua URL -- KEY
local key
local body = '{"user_id":"bench-user","item_id":"item-42","type":"click","context":{"channel":"push"}}'
function init(args) key = args[1] end
function request()
  return wrk.format("POST", "/v1/events",
    {["Authorization"] = "Bearer " .. key, ["Content-Type"] = "application/json"}, body)
end
