-- GET one user by id. Usage: wrk -s get_user.lua URL -- KEY
local key
function init(args) key = args[1] end
function request()
  return wrk.format("GET", "/v1/users/bench-user", {["Authorization"] = "Bearer " .. key})
end
