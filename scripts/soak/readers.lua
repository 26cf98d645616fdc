-- wrk script for scripts/soak.sh: readers cycling through the public pages; reports errors and latency.
local paths = {}
local i = 0
init = function(args)
  for _, path in ipairs(args) do paths[#paths + 1] = path end
end
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  io.write(string.format("readers: requests=%d errors=%d (status %d, timeout %d, connect %d, read %d) p50_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status + summary.errors.timeout + summary.errors.connect + summary.errors.read,
    summary.errors.status, summary.errors.timeout, summary.errors.connect, summary.errors.read,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
