-- wrk script of scripts/bench_web.py: counts the answers that are not 2xx (wrk itself only
-- counts statuses from 400 up, so a page answering 302 to the login page would pass unseen) and
-- prints one line, "bench-report {json}", after wrk's own output. Latencies in microseconds.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
  odd_status = 0
end

-- Defining response() makes wrk hand over each answer; the cost is the same for every page and
-- for the bare route it is compared with.
function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    odd_status = status
  end
end

function done(summary, latency, requests)
  local non_2xx_total, last_odd_status = 0, 0
  for _, thread in ipairs(threads) do
    non_2xx_total = non_2xx_total + thread:get("non_2xx")
    local status = thread:get("odd_status")
    if status ~= 0 then
      last_odd_status = status
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'bench-report {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, '
      .. '"p50_us": %.0f, "p95_us": %.0f, "p99_us": %.0f, "mean_us": %.1f, "max_us": %.0f, '
      .. '"errors": {"connect": %.0f, "read": %.0f, "write": %.0f, "timeout": %.0f, '
      .. '"status": %.0f}, "non_2xx": %.0f, "odd_status": %.0f}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.mean, latency.max,
    errors.connect, errors.read, errors.write, errors.timeout, errors.status,
    non_2xx_total, last_odd_status
  ))
end
