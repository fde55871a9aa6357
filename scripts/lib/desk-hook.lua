-- wrk script for scripts/bench-desk: posts the signed deliveries of DELIVERIES (one per line,
-- `signature<TAB>body`) to the webhook, each thread its own share; every tenth is sent twice
-- in a row (the platform's retry), which the server must count once. At the end each thread's
-- first sends and retries are printed, for the check that nothing was lost or doubled.
local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

function init(args)
  count = tonumber(os.getenv("THREADS"))
  lines = {}
  local n = 0
  for line in io.lines(os.getenv("DELIVERIES")) do
    if n % count == index then table.insert(lines, line) end
    n = n + 1
  end
  next_line, first, retries, repeat_last = 1, 0, 0, nil
end

function request()
  local line
  if repeat_last then
    line, repeat_last = repeat_last, nil
    retries = retries + 1
  else
    line = lines[next_line]
    if line == nil then
      -- out of deliveries: send the last again (a retry) rather than stop
      line = lines[#lines]
      retries = retries + 1
    else
      next_line = next_line + 1
      first = first + 1
      if first % 10 == 0 then repeat_last = line end
    end
  end
  local tab = line:find("\t", 1, true)
  local headers = {}
  headers["Content-Type"] = "application/json"
  headers["X-Hub-Signature-256"] = line:sub(1, tab - 1)
  return wrk.format("POST", wrk.path, headers, line:sub(tab + 1))
end

function done(summary, latency, requests)
  local f, r = 0, 0
  for _, thread in ipairs(threads) do
    f = f + thread:get("first")
    r = r + thread:get("retries")
  end
  io.write(string.format("SENT first=%d retries=%d\n", f, r))
end
