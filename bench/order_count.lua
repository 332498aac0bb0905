-- wrk script: exactly COUNT POST /order for random products of VENDOR (ids 1..PRODUCTS), quantity 1, as fast
-- as the connections go; run it with one thread (-t1), and a -d long enough to be a guard only.
-- The thread stops once COUNT order answers came back. A connection that asks for a request after the
-- COUNT orders were handed out sends one GET /health/live instead (its answer, 200, is not counted: an
-- order answers 202 or an error) and then waits, so no more orders than COUNT are ever sent.
local count = tonumber(os.getenv("COUNT") or "1000")
local products = tonumber(os.getenv("PRODUCTS") or "5000")
local vendor = os.getenv("VENDOR") or "vendorA"
local handed, answered = 0, 0
math.randomseed(os.time())
request = function()
  if handed >= count then
    return wrk.format("GET", "/health/live")
  end
  handed = handed + 1
  local body = string.format('{"id":%d,"vendor":"%s","quantity":1}', math.random(1, products), vendor)
  return wrk.format("POST", "/order", {["Content-Type"] = "application/json"}, body)
end
-- wrk asks delay() before every request but a connection's first: none once the orders are handed out.
delay = function()
  if handed >= count then
    return 600000
  end
  return 0
end
response = function(status, headers, body)
  if status ~= 200 then
    answered = answered + 1
    if answered >= count then
      wrk.thread:stop()
    end
  end
end
