##! The node's supervision tree for background workers.
##! Services that handlers depend on are started in main.mpl; the workers below may crash and restart freely.

from Config import Config, env_int, env_str
from Services.RateLimiter import window_resetter
from Services.Retention import retention_sweeper
from Services.EventStore import flush_ticker

fn retention_pool() -> PoolHandle = Pool.open(env_str("DATABASE_URL", ""), size: 1)

pub supervisor MesherSupervisor do
  strategy: one_for_one
  max_restarts: 5
  max_seconds: 60
  child rate_windows do
    start: fn -> spawn(window_resetter, Process.whereis("rate_limiter"), 60_000) end
    restart: permanent
    shutdown: 5000
  end
  child store_flusher do
    start: fn -> spawn(flush_ticker, Process.whereis("event_store"), 2_000, 0) end
    restart: permanent
    shutdown: 10_000
  end
  child retention do
    start: fn -> spawn(retention_sweeper, retention_pool(), env_int("MESHER_RETENTION_DAYS", 90), 0) end
    restart: transient
    shutdown: 30_000
  end
end

## Restart budget as one float for the metrics endpoint: restarts per second.
pub fn restart_budget() -> Float = 5.0 / 60.0

pub fn start_supervisor(config :: Config) -> Pid do
  let sup = Supervisor.start(MesherSupervisor)
  println("supervisor up: retention ${config.retention_days}d, budget ${restart_budget()}/s, sample ${config.sample_rate}")
  sup
end
