-- wrk script for scripts/bench.sh: the searches that cost most (very common words that seldom meet, phrases and
-- prefixes of them), each bounded by Portal:SearchTimeoutSeconds; reports how many were answered and how many stopped.
local queries = {
  "the of and to in a is for on that", "\"the the the\"", "\"of the\" \"in the\" \"to the\"", "a* t* s*",
  "said the of and", "the -the", "news OR world OR people OR year", "-gaza the of",
}
local i = 0
answered, stopped = 0, 0
local threads = {}  -- answered and stopped are globals: thread:get reads a thread's globals
setup = function(thread) table.insert(threads, thread) end
request = function()
  i = i % #queries + 1
  local q = queries[i]:gsub("([^%w%-%.%_%~])", function(c) return string.format("%%%02X", string.byte(c)) end)
  return wrk.format("GET", "/search?q=" .. q)
end
response = function(status)
  if status == 503 then stopped = stopped + 1 elseif status < 400 then answered = answered + 1 end
end
done = function(summary, latency, requests)
  local a, s = 0, 0
  for _, thread in ipairs(threads) do a = a + thread:get("answered"); s = s + thread:get("stopped") end
  io.write(string.format("worst_search_requests=%d answered=%d stopped_503=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n",
    summary.requests, a, s, latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
