-- wrk script: like order.lua, but each connection waits PAUSE_MS between an answer and its next request,
-- so the connections together offer a chosen rate (a latency probe below saturation, not a throughput run).
local products = tonumber(os.getenv("PRODUCTS") or "5000")
local vendor = os.getenv("VENDOR") or "vendorA"
local pause = tonumber(os.getenv("PAUSE_MS") or "50")
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local body = string.format('{"id":%d,"vendor":"%s","quantity":1}', math.random(1, products), vendor)
  return wrk.format(nil, "/order", nil, body)
end
delay = function()
  return pause
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
