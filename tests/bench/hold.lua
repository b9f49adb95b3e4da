-- tests/bench/hold.lua - wrk script for tests/bench/hold: requests cycle
-- through the paths in the file $HOLD_PATHS (one per line), each wrk
-- thread starting at a different place.
local paths = {}
for line in io.lines(os.getenv("HOLD_PATHS")) do
	paths[#paths + 1] = line
end
local n = 0

function setup(thread)
	n = n + 1
	thread:set("start", n * 7919)
end

local i
function init(args)
	i = (start or 0) % #paths
end

function request()
	i = i % #paths + 1
	return wrk.format("GET", paths[i])
end
