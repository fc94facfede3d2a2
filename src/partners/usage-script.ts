/**
 * The server-side half of the shared usage limiter: one Lua script that, on Redis's own clock
 * (TIME), refills the partner's token bucket, finds the UTC calendar window of its quota,
 * decides both, and only when both admit the request takes one token and counts one call. A
 * refused request writes nothing. Both keys carry the same hash tag, so Redis Cluster runs the
 * script on one node.
 *
 * KEYS: bucket, quota. ARGV: rateLimit, burstLimit (0 = no throttle), quota limit (0 = no
 * quota), period (DAY | WEEK | MONTH), offset.
 * Reply (integers): allowed (1|0), kind (0 none | 1 throttle | 2 quota), retry-after ms,
 * report limit, report remaining, report reset ms, has report (1|0).
 */

/** `window(period, nowMs)` → start, end (ms): the same windows as `quotaWindow`, in Lua. */
export const WINDOW_LUA = `
local DAY_MS = 86400000
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = math.floor(y / 400)
  local yoe = y - era * 400
  local mp = m > 2 and m - 3 or m + 9
  local doy = math.floor((153 * mp + 2) / 5) + d - 1
  local doe = yoe * 365 + math.floor(yoe / 4) - math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
end
local function civil_from_days(z)
  z = z + 719468
  local era = math.floor(z / 146097)
  local doe = z - era * 146097
  local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524) - math.floor(doe / 146096)) / 365)
  local y = yoe + era * 400
  local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
  local mp = math.floor((5 * doy + 2) / 153)
  local m = mp < 10 and mp + 3 or mp - 9
  if m <= 2 then y = y + 1 end
  return y, m
end
local function window(period, now)
  local days = math.floor(now / DAY_MS)
  if period == 'DAY' then return days * DAY_MS, (days + 1) * DAY_MS end
  if period == 'WEEK' then
    -- 1970-01-01 was a Thursday; weeks start on Sunday.
    local start = days - (days + 4) % 7
    return start * DAY_MS, (start + 7) * DAY_MS
  end
  local y, m = civil_from_days(days)
  local ny, nm = y, m + 1
  if nm > 12 then ny, nm = y + 1, 1 end
  return days_from_civil(y, m, 1) * DAY_MS, days_from_civil(ny, nm, 1) * DAY_MS
end
`

export const USAGE_LUA = `${WINDOW_LUA}
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local qlimit = tonumber(ARGV[3])
local period = ARGV[4]
local offset = tonumber(ARGV[5])

local tokens = 0
if burst > 0 then
  local b = redis.call('HMGET', KEYS[1], 't', 'r')
  tokens = tonumber(b[1])
  local refilled = tonumber(b[2])
  if tokens == nil or refilled == nil then
    tokens = burst
    refilled = now
  end
  tokens = math.min(burst, tokens + math.max(0, now - refilled) / 1000 * rate)
end

local wstart, wend, used, limit, first, sameWindow = 0, 0, 0, 0, 0, false
if qlimit > 0 then
  wstart, wend = window(period, now)
  local q = redis.call('HMGET', KEYS[2], 'w', 'u', 'f')
  first = tonumber(q[3]) or wstart
  sameWindow = tonumber(q[1]) == wstart
  if sameWindow then used = tonumber(q[2]) or 0 end
  limit = qlimit
  if first == wstart then limit = qlimit - offset end
end

local function report()
  if qlimit > 0 then return limit, math.max(0, limit - used), wend - now, 1 end
  if burst > 0 then
    local missing = burst - tokens
    local reset = 0
    if missing > 0 then reset = math.ceil(missing / rate * 1000) end
    return burst, math.floor(tokens), reset, 1
  end
  return 0, 0, 0, 0
end

if burst > 0 and tokens < 1 then
  local l, r, s, h = report()
  return {0, 1, math.ceil((1 - tokens) / rate * 1000), l, r, s, h}
end
if qlimit > 0 and used >= limit then
  local l, r, s, h = report()
  return {0, 2, wend - now, l, r, s, h}
end
if burst > 0 then
  tokens = tokens - 1
  redis.call('HSET', KEYS[1], 't', tostring(tokens), 'r', tostring(now))
  -- A bucket left alone this long is full again, which is what a missing key means.
  redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
end
if qlimit > 0 then
  used = used + 1
  if sameWindow then
    -- Within a window only the count moves; the expiry was set when the window began.
    redis.call('HSET', KEYS[2], 'u', tostring(used))
  else
    redis.call('HSET', KEYS[2], 'w', tostring(wstart), 'u', tostring(used), 'f', tostring(first))
    -- Kept one period past the window so the offset of the first window is not applied twice.
    redis.call('PEXPIREAT', KEYS[2], wend + (wend - wstart))
  end
end
local l, r, s, h = report()
return {1, 0, 0, l, r, s, h}
`
