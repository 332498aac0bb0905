-- wrk script: POST /orders, a cart of 3 lines (cart_intake_rps): random products of the VENDORS (comma
-- separated, ids 1..PRODUCTS), the lines' vendors taken in turn so every cart crosses vendors, quantity 1.
local products = tonumber(os.getenv("PRODUCTS") or "5000")
local vendors = {}
for v in string.gmatch(os.getenv("VENDORS") or "vendorA,vendorB", "[^,]+") do
  vendors[#vendors + 1] = v
end
math.randomseed(os.time())
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
  local lines = {}
  for i = 1, 3 do
    lines[i] = string.format('{"vendor":"%s","id":%d,"quantity":1}', vendors[(i - 1) % #vendors + 1], math.random(1, products))
  end
  return wrk.format(nil, "/orders", nil, '{"lines":[' .. table.concat(lines, ",") .. ']}')
end
done = function(summary, latency, requests)
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
