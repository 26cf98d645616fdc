-- wrk script for scripts/bench.sh: cycles through realistic searches and reports the 95th percentile.
local queries = {
  "gaza", "ceasefire", "earthquake", "election", "turkiye", "Türkiye", "\"prisoner swap\"",
  "ukraine russia talks", "wildfire -california", "source:reuters election", "category:\"armed conflicts and attacks\" gaza",
  "lang:en flood", "after:2026-01-01 protest", "before:2025-03-01 storm", "president", "court ruling", "oil prices",
}
local i = 0
request = function()
  i = i % #queries + 1
  local q = queries[i]:gsub("([^%w%-%.%_%~])", function(c) return string.format("%%%02X", string.byte(c)) end)
  return wrk.format("GET", "/search?q=" .. q)
end
done = function(summary, latency, requests)
  io.write(string.format("search_requests=%d errors=%d p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status + summary.errors.timeout + summary.errors.connect + summary.errors.read,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
