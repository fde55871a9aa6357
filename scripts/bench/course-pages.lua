-- scripts/bench/course-pages.lua — wrk script for scripts/bench-catalog: GET course pages,
-- rotating over every course listed in a file of lines `tenant_slug course_slug course_id`
-- (courses.txt from `gotong bench-seed`). Each thread starts at a different place in the list.
--
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/course-pages.lua http://127.0.0.1:PORT -- courses.txt

local threads, next_id = {}, 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local tenant, course = line:match("^(%S+)%s+(%S+)")
    if tenant then paths[#paths + 1] = "/t/" .. tenant .. "/pelatihan/" .. course end
  end
  file:close()
  assert(#paths > 0, "no courses in " .. args[1])
  -- Spread the threads over the list (up to 8 threads without overlap at the start).
  position = (id * math.floor(#paths / 8)) % #paths
  failures = 0
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + (thread:get("failures") or 0) end
  io.write(string.format("bench: not-200 %d\n", failed))
end
