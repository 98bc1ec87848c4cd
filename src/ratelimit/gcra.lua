-- GCRA over one client's budget, the same arithmetic as governor's: KEYS[1] holds the
-- theoretical arrival time (TAT, milliseconds on Redis's clock, so that instances' clocks do
-- not matter). ARGV[1]: milliseconds one unit of cost takes to restore; ARGV[2]: the burst
-- (most units the budget holds); ARGV[3]: the cost. Nothing is spent on a refusal.
-- Returns { allowed (1 or 0), units remaining, ms until the cost would go through, ms until full }.
local t = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then tat = now end
local capacity = t * burst
local new_tat = tat + cost * t
local allowed_at = new_tat - capacity
local epsilon = 1e-6
if allowed_at > now + epsilon then
  local remaining = math.floor((capacity - (tat - now)) / t + epsilon)
  return { 0, remaining, math.ceil(allowed_at - now), math.ceil(tat - now) }
end
redis.call('SET', KEYS[1], string.format('%.3f', new_tat), 'PX', math.ceil(new_tat - now) + 1)
return { 1, math.floor((capacity - (new_tat - now)) / t + epsilon), 0, math.ceil(new_tat - now) }
