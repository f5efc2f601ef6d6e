-- wrk script: POSTs the request body in the file named by BENCH_BODY.
--
-- With BENCH_EXPECTED_BYTES set, every response is checked (status 200 and a body of
-- exactly that many bytes) and the count of wrong ones is printed. The check costs
-- wrk time, so bench/run.sh uses it for the warm-up, not for the measured run.
--
-- Prints one machine-readable line:
--   RESULT requests=… duration_us=… p50_us=… p99_us=… socket_errors=… non2xx=… checked=… wrong=…

local body_file = assert(os.getenv("BENCH_BODY"), "set BENCH_BODY to the request body file")
local file = assert(io.open(body_file, "rb"))
wrk.method = "POST"
wrk.body = file:read("*a")
file:close()
wrk.headers["Content-Type"] = "application/json"

local expected = tonumber(os.getenv("BENCH_EXPECTED_BYTES") or "")
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

checked = 0
wrong = 0

if expected then
  function response(status, headers, body)
    checked = checked + 1
    if status ~= 200 or #body ~= expected then
      wrong = wrong + 1
    end
  end
end

function done(summary, latency, requests)
  local total_checked, total_wrong = 0, 0
  for _, thread in ipairs(threads) do
    total_checked = total_checked + (thread:get("checked") or 0)
    total_wrong = total_wrong + (thread:get("wrong") or 0)
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d checked=%d wrong=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    total_checked, total_wrong))
end
