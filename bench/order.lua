-- wrk script: POST /order for a random product of VENDOR (ids 1..PRODUCTS), quantity 1.
-- With PAUSE_MS, each connection waits that long between an answer and its next request, so the
-- connections together offer a chosen rate (a latency probe below saturation, not a throughput run).
local products = tonumber(os.getenv("PRODUCTS") or "5000")
local vendor = os.getenv("VENDOR") or "vendorA"
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = string.format('{"id":%d,"vendor":"%s","quantity":1}', math.random(1, products), vendor)
  return wrk.format(nil, "/order", nil, body)
end
if pause > 0 then
  delay = function()
    return pause
  end
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
