##! RateLimiter: fixed-window request counting per project.
##! Counts are node-local on purpose; the per-node limit is the configured limit divided by the node count.

struct Window do
  limit :: Int
  counts :: Map<String, Int>
  rejected :: Int
  started_at :: Int
end

type ResetMsg do
  ResetNow
  StopResetter
end

service RateLimiter do
  fn init(limit :: Int) -> Window do
    Window { limit: limit, counts: %{}, rejected: 0, started_at: Time.monotonic_ms() }
  end

  ## Counts one request for `key`; true when it is within the limit.
  call Check(key :: String) :: Bool do |state|
    let used = Map.get(state.counts, key) |> Option.unwrap_or(0)
    if used < state.limit do
      (%{state | counts: Map.put(state.counts, key, used + 1)}, true)
    else
      (%{state | rejected: state.rejected + 1}, false)
    end
  end

  call Remaining(key :: String) :: Int do |state|
    let used = Map.get(state.counts, key) |> Option.unwrap_or(0)
    (state, Int.max(state.limit - used, 0))
  end

  call Rejected() :: Int do |state|
    (state, state.rejected)
  end

  cast Reset() do |state|
    %{state | counts: %{}, started_at: Time.monotonic_ms()}
  end

  cast SetLimit(limit :: Int) do |state|
    %{state | limit: limit}
  end
end

## Blocks the caller until `key` has capacity again, polling every 50 ms.
pub fn wait_for_capacity(limiter :: Pid, key :: String) -> Int do
  while not RateLimiter.check(limiter, key) do
    Timer.sleep(50)
  end
  RateLimiter.remaining(limiter, key)
end

pub fn over_limit_body(limiter :: Pid, key :: String) -> String do
  let remaining = RateLimiter.remaining(limiter, key)
  """
  {"error": "rate limited", "key": "${key}", "remaining": ${remaining}}
  """
end

## Resets the limiter's windows every `period` ms.
actor window_resetter(limiter :: Pid, period :: Int) do
  receive do
    ResetNow -> window_resetter(limiter, reset_and_report(limiter, period))
    StopResetter -> 0
    after period -> window_resetter(limiter, reset_and_report(limiter, period)) end
end

fn reset_and_report(limiter :: Pid, period :: Int) -> Int do
  let rejected = RateLimiter.rejected(limiter)
  let _ = if rejected > 0 do println("rate limiter: ${rejected} requests rejected in the last window") else 0 end
  RateLimiter.reset(limiter)
  period
end
