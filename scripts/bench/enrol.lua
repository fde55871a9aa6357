-- scripts/bench/enrol.lua — wrk script for scripts/bench-catalog: self-enrolment through
-- POST /api/v1/courses/{id}/enrolments with a bearer token, rotating over the tokens
-- (tokens.txt: one per line, each a different person) and the courses (courses.txt: lines
-- `tenant_slug course_slug course_id`) so that nearly every request is a new (person, course)
-- pair. Request n goes to token n mod T and course (n div T + n mod T) mod C: a one-to-one
-- mapping for n < T*C, and each thread starts its n in its own eighth of that range.
-- Prints one line `bench: status 201 N, 202 N, 200 N, other N[ (CODE xN …)]` at the end.
--
--   wrk -t2 -c32 -d10s --latency -s scripts/bench/enrol.lua http://127.0.0.1:PORT -- tokens.txt courses.txt

local threads, next_id = {}, 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local function read_lines(path, pick)
  local list = {}
  local file = assert(io.open(path, "r"))
  for line in file:lines() do
    local value = pick(line)
    if value then list[#list + 1] = value end
  end
  file:close()
  assert(#list > 0, "nothing usable in " .. path)
  return list
end

function init(args)
  tokens = read_lines(args[1], function(line) return line:match("^(%S+)") end)
  courses = read_lines(args[2], function(line) return line:match("^%S+%s+%S+%s+(%S+)") end)
  n = id * math.floor(#tokens * #courses / 8)
  counts = { s200 = 0, s201 = 0, s202 = 0, other = 0 }
  others = {}
end

function request()
  local t = n % #tokens
  local c = (math.floor(n / #tokens) + t) % #courses
  n = n + 1
  return wrk.format("POST", "/api/v1/courses/" .. courses[c + 1] .. "/enrolments",
                    { ["Authorization"] = "Bearer " .. tokens[t + 1], ["Content-Length"] = "0" })
end

function response(status, headers, body)
  local key = "s" .. status
  if counts[key] then
    counts[key] = counts[key] + 1
  else
    counts.other = counts.other + 1
    others[status] = (others[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total = { s200 = 0, s201 = 0, s202 = 0, other = 0 }
  local codes = {}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts") or {}
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
    for code, v in pairs(thread:get("others") or {}) do codes[code] = (codes[code] or 0) + v end
  end
  local detail = {}
  for code, v in pairs(codes) do detail[#detail + 1] = string.format("%s x%d", tostring(code), v) end
  table.sort(detail)
  io.write(string.format("bench: status 201 %d, 202 %d, 200 %d, other %d%s\n", total.s201, total.s202, total.s200,
                         total.other, #detail > 0 and (" (" .. table.concat(detail, ", ") .. ")") or ""))
end
