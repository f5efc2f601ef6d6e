-- wrk script: pays invoice VAs, one createTransaction(PAYMENT) per request, each
-- with its payer's bearer token. Lines of BENCH_INVOICES_FILE are
-- "<token>\t<wallet>\t<VA>\t<amount>" (bench/payments/setup.py writes them).
--
-- A run starts at line BENCH_OFFSET (0-based); thread t of T (BENCH_THREADS) takes lines
-- offset + t, offset + t + T, …, so no VA is paid twice. The first line a later run
-- may use is written to BENCH_NEXT_OFFSET_FILE. Every answer is checked: 200 and
-- "status":"SUCCESS", else it counts as wrong (and the first few are printed).
--
-- Prints one machine-readable line:
--   RESULT requests=… duration_us=… p50_us=… p99_us=… socket_errors=… non2xx=… checked=… wrong=… exhausted=…

local file_name = assert(os.getenv("BENCH_INVOICES_FILE"), "set BENCH_INVOICES_FILE")
local offset = tonumber(os.getenv("BENCH_OFFSET") or "0")
local next_offset_file = os.getenv("BENCH_NEXT_OFFSET_FILE")
-- wrk's -t, which a thread cannot read otherwise.
local total_threads = tonumber((assert(os.getenv("BENCH_THREADS"), "set BENCH_THREADS to wrk's -t")))

local query = "mutation($i: TransactionInput!) { createTransaction(input: $i) { transactionId status } }"
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

-- `id` is this thread's number, set by setup().
function init(args)
  lines = {}
  local n = 0
  for line in io.lines(file_name) do
    if n >= offset and (n - offset) % total_threads == id then
      table.insert(lines, line)
    end
    n = n + 1
  end
  sent = 0
  checked = 0
  wrong = 0
  exhausted = 0
  shown = 0
end

function request()
  sent = sent + 1
  local line = lines[sent]
  if line == nil then
    exhausted = exhausted + 1
    line = lines[#lines]
  end
  local token, wallet, va, amount = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)")
  local body = string.format(
    '{"query":"%s","variables":{"i":{"walletId":"%s","amount":%s,"type":"PAYMENT","vaNumber":"%s"}}}',
    query, wallet, amount, va)
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end

function response(status, headers, body)
  checked = checked + 1
  if status ~= 200 or not body:find('"status":"SUCCESS"', 1, true) then
    wrong = wrong + 1
    if shown < 3 then
      shown = shown + 1
      io.stderr:write("wrong answer (" .. status .. "): " .. body:sub(1, 300) .. "\n")
    end
  end
end

function done(summary, latency, requests)
  local total_checked, total_wrong, total_exhausted, most_sent = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    total_checked = total_checked + (thread:get("checked") or 0)
    total_wrong = total_wrong + (thread:get("wrong") or 0)
    total_exhausted = total_exhausted + (thread:get("exhausted") or 0)
    most_sent = math.max(most_sent, thread:get("sent") or 0)
  end
  if next_offset_file then
    local f = assert(io.open(next_offset_file, "w"))
    f:write(tostring(offset + (most_sent + 1) * total_threads))
    f:close()
  end
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d socket_errors=%d non2xx=%d checked=%d wrong=%d exhausted=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    errors.connect + errors.read + errors.write + errors.timeout, errors.status,
    total_checked, total_wrong, total_exhausted))
end
