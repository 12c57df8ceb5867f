##! PipelineRegistry: the one place a handler finds the node's services.
##! Every node starts its own registry; main.mpl registers it under "mesher_registry".

from Services.EventStore import EventStore
from Services.RateLimiter import RateLimiter
from Services.StreamManager import StreamManager

pub struct RegistryState do
  pool :: PoolHandle
  event_store :: Pid
  rate_limiter :: Pid
  stream_manager :: Pid<()>
  started_at :: Int
  lookups :: Int
end deriving(Json)

type HealthMsg do
  CheckNow
  StopChecking
end

service PipelineRegistry do
  fn init(pool :: PoolHandle, store :: Pid, limiter :: Pid, streams :: Pid) -> RegistryState do
    RegistryState {
      pool: pool,
      event_store: store,
      rate_limiter: limiter,
      stream_manager: streams,
      started_at: Time.monotonic_ms(),
      lookups: 0
    }
  end

  call GetPool() :: PoolHandle do |state|
    (%{state | lookups: state.lookups + 1}, state.pool)
  end

  call GetEventStore() :: Pid do |state|
    (%{state | lookups: state.lookups + 1}, state.event_store)
  end

  call GetRateLimiter() :: Pid do |state|
    (%{state | lookups: state.lookups + 1}, state.rate_limiter)
  end

  call GetStreamManager() :: Pid do |state|
    (%{state | lookups: state.lookups + 1}, state.stream_manager)
  end

  call Ping() :: Bool do |state|
    (state, true)
  end

  call Uptime() :: Int do |state|
    (state, Time.monotonic_ms() - state.started_at)
  end

  call Lookups() :: Int do |state|
    (state, state.lookups)
  end

  cast ReplaceEventStore(store :: Pid) do |state|
    %{state | event_store: store}
  end
end

## Formats milliseconds as "1h 2m 3s".
pub fn format_uptime(ms :: Int) -> String do
  let secs = ms / 1000
  let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60)
  if h > 0 do "${h}h ${m}m ${s}s" else if m > 0 do "${m}m ${s}s" else "${s}s" end
end

fn report_health(reg_pid :: Pid, misses :: Int) -> Int do
  let healthy = PipelineRegistry.ping(reg_pid)
  let uptime = format_uptime(PipelineRegistry.uptime(reg_pid))
  if healthy do
    0
  else
    println("health_checker: registry did not answer (up ${uptime}, ${misses + 1} misses)")
    misses + 1
  end
end

## Periodically checks that this node's own registry answers.
actor health_checker(interval :: Int, misses :: Int) do
  # Deliberately node-local: Process.whereis("mesher_registry") checks this node's registry, never a peer's.
  let reg_pid = Process.whereis("mesher_registry")
  let next_misses = report_health(reg_pid, misses)
  receive do
    CheckNow -> health_checker(interval, next_misses)
    StopChecking -> next_misses
    after interval -> health_checker(interval, next_misses) end
  terminate do
    println("health_checker: stopped with ${misses} consecutive misses")
  end
end

pub fn start_health_checker(interval :: Int) -> Pid do
  let pid = spawn(health_checker, interval, 0)
  link(pid)
  let _ = Process.monitor(pid)
  println("health_checker ${pid} started by ${self()}")
  pid
end

pub fn check_now(checker :: Pid) -> () do
  send(checker, CheckNow)
  ()
end

pub fn stop_health_checker(checker :: Pid) -> () do
  send(checker, StopChecking)
  ()
end
