##! Retention: deletes events older than the configured number of days.

from Storage.Queries import delete_events_older_than

type SweepMsg do
  SweepNow
  StopSweeper
end

# Sweep at most once an hour; a day is 86_400_000 ms.
fn sweep_interval_ms() -> Int = 3_600_000

fn sweep(pool :: PoolHandle, days :: Int) -> Int do
  case delete_events_older_than(pool, days) do
    Ok(n) when n > 0 -> log_sweep(n, days)
    Ok(_) -> 0
    Err(reason) -> log_failure(reason)
  end
end

fn log_sweep(n :: Int, days :: Int) -> Int do
  println("retention: removed ${n} events older than ${days} days")
  n
end

pub fn describe_sweep(result :: Int) -> String do
  case result do
    -1 -> "failed"
    0 -> "nothing to remove"
    n -> "removed ${n}"
  end
end

fn log_failure(reason :: String) -> Int do
  println("retention: sweep failed: ${reason}")
  -1
end

actor retention_sweeper(pool :: PoolHandle, days :: Int, removed :: Int) do
  receive do
    SweepNow -> retention_sweeper(pool, days, removed + sweep(pool, days))
    StopSweeper -> removed
    after sweep_interval_ms() -> retention_sweeper(pool, days, removed + sweep(pool, days)) end
  terminate do
    println("retention_sweeper: ${removed} events removed in total")
  end
end
