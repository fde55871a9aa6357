-- scripts/bench/certificate-pdf.lua — wrk script for scripts/bench-credentials: certificate PDFs
-- as holders and employers download them, GET /verifikasi/{code}/pdf, each request a different
-- certificate (codes.txt: one code per line), so every answer renders its own PDF.
--
--   wrk -t2 -c16 -d10s --latency -s scripts/bench/certificate-pdf.lua http://127.0.0.1:PORT -- codes.txt

local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
end

function init(args)
  codes = {}
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    if line ~= "" then codes[#codes + 1] = line end
  end
  file:close()
  assert(#codes > 0, "no codes")
  n = id
end

function request()
  n = n + 2
  return wrk.format("GET", "/verifikasi/" .. codes[n % #codes + 1] .. "/pdf")
end
