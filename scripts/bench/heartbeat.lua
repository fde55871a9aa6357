-- scripts/bench/heartbeat.lua — wrk script for scripts/bench-learning: heartbeats as learners'
-- pages send them, POST /api/v1/activities/{id}/heartbeat with a progress ticket. Each thread
-- takes every k-th ticket (tickets.txt: one per line, each a different learner); a learner's
-- beats carry its own tab id (new for every run, so a second run's beats are not retries of
-- the first's) and a rising number, 30 seconds each, so none is a retry.
-- Prints `bench: status 200 N, other N[ (CODE xN …)], credited S s` at the end.
--
--   wrk -t2 -c64 -d10s --latency -s scripts/bench/heartbeat.lua http://127.0.0.1:PORT -- ACTIVITY_ID tickets.txt

local threads, next_id = {}, 0

function setup(thread)
  thread:set("id", next_id)
  thread:set("count", 2)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  activity = args[1]
  tickets = {}
  local file = assert(io.open(args[2], "r"))
  local i = 0
  for line in file:lines() do
    -- Thread k of 2 takes the tickets whose index is k modulo 2: no learner in two threads.
    if line ~= "" and i % 2 == id then tickets[#tickets + 1] = line end
    i = i + 1
  end
  file:close()
  assert(#tickets > 0, "no tickets for thread " .. id)
  n = 0
  ok, other, credited = 0, 0, 0
  others = {}
  path = "/api/v1/activities/" .. activity .. "/heartbeat"
  run = os.time()
end

function request()
  local t = n % #tickets
  local seq = math.floor(n / #tickets) + 1
  n = n + 1
  local body = string.format('{"ticket":"%s","tab":"bench-%d-%d-%d","seq":%d,"seconds":30}', tickets[t + 1], run, id, t, seq)
  return wrk.format("POST", path, { ["Content-Type"] = "application/json" }, body)
end

function response(status, headers, body)
  if status == 200 then
    ok = ok + 1
    local c = body:match('"credited":(%d+)')
    if c then credited = credited + tonumber(c) end
  else
    other = other + 1
    others[status] = (others[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_other, total_credited, codes = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    total_ok = total_ok + (thread:get("ok") or 0)
    total_other = total_other + (thread:get("other") or 0)
    total_credited = total_credited + (thread:get("credited") or 0)
    for code, v in pairs(thread:get("others") or {}) do codes[code] = (codes[code] or 0) + v end
  end
  local detail = {}
  for code, v in pairs(codes) do detail[#detail + 1] = string.format("%s x%d", tostring(code), v) end
  io.write(string.format("bench: status 200 %d, other %d%s, credited %d s\n", total_ok, total_other,
                         #detail > 0 and (" (" .. table.concat(detail, ", ") .. ")") or "", total_credited))
end
