-- GET one static file (the nginx ceiling). Usage: wrk -s static.lua URL -- KEY PATH
local path
function init(args) path = args[2] end
function request()
  return wrk.format("GET", path)
end
