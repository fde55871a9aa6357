-- scripts/bench/sessions.lua — wrk script for scripts/bench-pages: GET one page, as a guest or
-- signed in, with or without compression. Arguments after `--`:
--
--   PATH        the page, e.g. /saya or /katalog?q=pelatihan
--   SESSIONS    a file of signed-in browsers' cookies, one a line: the gotong_session value and,
--               after a space, the gotong_csrf value (optional); `-` for a guest (no cookie)
--   ENCODING    `compressed` sends `Accept-Encoding: gzip, deflate, br` as browsers do;
--               `plain` sends no Accept-Encoding (the server answers uncompressed)
--
--   wrk -t2 -c32 -d15s --latency -s scripts/bench/sessions.lua http://127.0.0.1:PORT -- /saya sessions.txt compressed
--
-- One signed-in session per connection is what the figure stands for, but wrk's Lua state is
-- per thread, not per connection: each thread instead rotates over the sessions request by
-- request (the threads starting at different places), so every session is in use throughout
-- and consecutive requests on a connection belong to different people. That is the accepted
-- approximation; with 32 sessions and 32 connections each session carries 1/32 of the load.
--
-- Prints `bench: not-200 N` and `bench: bytes-per-response N` (status line, headers and body,
-- as read off the socket) at the end.

local threads, next_id = {}, 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  path = assert(args[1], "usage: -- PATH SESSIONS|- compressed|plain")
  local sessions_file, encoding = args[2] or "-", args[3] or "compressed"
  assert(encoding == "compressed" or encoding == "plain", "ENCODING is compressed or plain, not " .. encoding)
  headers = {}
  if encoding == "compressed" then headers["Accept-Encoding"] = "gzip, deflate, br" end
  -- Prebuilt requests: one per session (or the single guest request), so request() only picks.
  requests = {}
  if sessions_file ~= "-" then
    local file = assert(io.open(sessions_file, "r"))
    for line in file:lines() do
      local value, csrf = line:match("^(%S+)%s*(%S*)")
      if value then
        -- As a browser sends them: the session and, once it has one, the form token's cookie.
        headers["Cookie"] = "gotong_session=" .. value .. (csrf ~= "" and ("; gotong_csrf=" .. csrf) or "")
        requests[#requests + 1] = wrk.format("GET", path, headers)
      end
    end
    file:close()
    assert(#requests > 0, "no sessions in " .. sessions_file)
  else
    requests[1] = wrk.format("GET", path, headers)
  end
  -- Spread the threads over the sessions (up to 8 threads without overlap at the start).
  position = (id * math.floor(#requests / 8)) % #requests
  failures = 0
end

function request()
  position = position % #requests + 1
  return requests[position]
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do failed = failed + (thread:get("failures") or 0) end
  io.write(string.format("bench: not-200 %d\n", failed))
  if summary.requests > 0 then
    io.write(string.format("bench: bytes-per-response %d\n", math.floor(summary.bytes / summary.requests)))
  end
end
