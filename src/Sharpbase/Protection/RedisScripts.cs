namespace Sharpbase.Protection;

/// <summary>
/// The Lua scripts that count in Redis. Each runs atomically, so nodes sharing a server share one
/// count; keys expire on their own once a window has passed. Both return
/// <c>{allowed, remaining, reset_ms, retry_ms}</c>.
/// </summary>
internal static class RedisScripts
{
    /// <summary>KEYS[1]; ARGV: now_ms, segment_ms, segments, limit. A hash of segment index → count.</summary>
    public const string SlidingWindow = """
        local key = KEYS[1]
        local now = tonumber(ARGV[1])
        local seg = tonumber(ARGV[2])
        local n = tonumber(ARGV[3])
        local limit = tonumber(ARGV[4])
        local current = math.floor(now / seg)
        local fields = redis.call('HGETALL', key)
        local total = 0
        local oldest = nil
        for i = 1, #fields, 2 do
          local index = tonumber(fields[i])
          if index <= current - n then
            redis.call('HDEL', key, fields[i])
          else
            total = total + tonumber(fields[i + 1])
            if oldest == nil or index < oldest then oldest = index end
          end
        end
        local allowed = 0
        if total < limit then
          redis.call('HINCRBY', key, string.format('%d', current), 1)
          total = total + 1
          allowed = 1
          if oldest == nil then oldest = current end
        end
        redis.call('PEXPIRE', key, (n + 1) * seg)
        local reset = 0
        if oldest ~= nil then reset = (oldest + n) * seg - now end
        local retry = 0
        if allowed == 0 then retry = reset end
        return {allowed, limit - total, reset, retry}
        """;

    /// <summary>KEYS[1]; ARGV: now_ms, limit, window_ms. A hash of tokens and the time they were counted.</summary>
    public const string TokenBucket = """
        local key = KEYS[1]
        local now = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local window = tonumber(ARGV[3])
        local rate = limit / window
        local state = redis.call('HMGET', key, 't', 'ts')
        local tokens = tonumber(state[1])
        local ts = tonumber(state[2])
        if tokens == nil or ts == nil then
          tokens = limit
          ts = now
        end
        if now > ts then
          tokens = math.min(limit, tokens + (now - ts) * rate)
          ts = now
        end
        local allowed = 0
        if tokens >= 1 then
          tokens = tokens - 1
          allowed = 1
        end
        redis.call('HSET', key, 't', string.format('%.6f', tokens), 'ts', string.format('%d', ts))
        redis.call('PEXPIRE', key, window + 1000)
        local reset = math.ceil((limit - tokens) / rate)
        local retry = 0
        if allowed == 0 then retry = math.ceil((1 - tokens) / rate) end
        return {allowed, math.floor(tokens), reset, retry}
        """;
}
