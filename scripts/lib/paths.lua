-- wrk script: asks the addresses of PATHS (one a line, already encoded) in turn, each thread
-- starting at its own place, so a run spreads over every question and tenant in the file.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("PATHS")) do table.insert(paths, line) end
  at = (index * 7919) % #paths
end

function request()
  at = at % #paths + 1
  return wrk.format("GET", paths[at])
end
