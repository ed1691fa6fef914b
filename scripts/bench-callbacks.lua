-- wrk script for scripts/bench.sh: each request is a distinct pre-signed callback read from a file
-- (one "path<TAB>body" per line), so WeCom-style retries never inflate the numbers.
local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    lines[#lines + 1] = line
  end
  step = tonumber(args[2])
  counter = id
  repeats = 0
  non200 = 0
end

function request()
  local index = counter % #lines + 1
  if counter >= #lines then
    repeats = repeats + 1
  end
  counter = counter + step
  local line = lines[index]
  local tab = line:find("\t", 1, true)
  return wrk.format("POST", line:sub(1, tab - 1), { ["Content-Type"] = "text/xml" }, line:sub(tab + 1))
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local repeated, failed = 0, 0
  for _, t in ipairs(threads) do
    repeated = repeated + t:get("repeats")
    failed = failed + t:get("non200")
  end
  io.write(string.format("BENCH rps=%.0f p50=%.2f p99=%.2f max=%.2f total=%d non200=%d repeated=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, summary.requests, failed, repeated))
end
