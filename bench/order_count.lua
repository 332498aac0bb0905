-- wrk script: COUNT POST /order for random products of VENDOR (ids 1..PRODUCTS), quantity 1, as fast as the
-- connections go; run it with one thread (-t1) and a -d long enough to be only a guard.
-- wrk asks delay() before each request a connection sends, and calls request() once more on its own while
-- it starts (to check the script), so the orders are counted out in delay(): once COUNT were handed out,
-- a connection waits (10 min) instead of sending. When COUNT answers came back it prints
-- "answered N non_202 M" and ends wrk at once (wrk's own summary would come only after -d).
-- (A connection that wrk reconnects after a socket error sends without asking delay(); rare, and then
-- fewer than COUNT answers come back and wrk runs until -d.)
-- With PAUSE_MS, each connection waits that long before each of its requests, so C connections offer about
-- C * 1000 / PAUSE_MS orders a second while the service answers well within the pause (a steady arrival).
local count = tonumber(os.getenv("COUNT") or "1000")
local pause = tonumber(os.getenv("PAUSE_MS") or "0")
local products = tonumber(os.getenv("PRODUCTS") or "5000")
local vendor = os.getenv("VENDOR") or "vendorA"
local handed, answered, other = 0, 0, 0
math.randomseed(os.time())
delay = function()
  if handed >= count then
    return 600000
  end
  handed = handed + 1
  return pause
end
request = function()
  local body = string.format('{"id":%d,"vendor":"%s","quantity":1}', math.random(1, products), vendor)
  return wrk.format("POST", "/order", {["Content-Type"] = "application/json"}, body)
end
response = function(status, headers, body)
  answered = answered + 1
  if status ~= 202 then
    other = other + 1
  end
  if answered >= count then
    io.write(string.format("answered %d non_202 %d\n", answered, other))
    io.flush()
    os.exit(0)
  end
end
