##! EventStore: buffers accepted events and writes them to the database in batches.
##! Writes go through one process per node so the pool never sees a thundering herd.

from Types.Event import Event, Fingerprint, title_of
from Storage.Queries import insert_event, upsert_issue

struct StoreState do
  pool :: PoolHandle
  buffer :: List<Event>
  flushed :: Int
  failures :: Int
  last_error :: String?
end

type TickerMsg do
  FlushNow
  StopTicker
end

fn batch_size() -> Int = 0x40

## Retry delays in ms for a failed flush: 100, 200, 400, ...
fn backoff_schedule(attempts :: Int) -> List<Int> do
  for i in 0..attempts do
    100 * Int.pow(2, i)
  end
end

## Writes one event and its issue; returns the issue id.
fn write_event(pool :: PoolHandle, event :: Event) -> String!String do
  let fingerprint = Fingerprint.compute(event)
  let issue_id = upsert_issue(pool, event.project_id, fingerprint, title_of(event), event.level)?
  let _ = insert_event(pool, %{event | fingerprint: fingerprint}, issue_id)?
  Ok(issue_id)
end

fn flush_buffer(state :: StoreState) -> StoreState do
  let results = List.map(state.buffer, fn(e) -> write_event(state.pool, e) end)
  let failed = List.count(results, fn r -> Result.is_err(r) end)
  let written = List.length(results) - failed
  let last_error = case List.find(results, fn r -> Result.is_err(r) end) do
    Some(Err(reason)) -> Some(reason)
    _ -> state.last_error
  end
  %{state | buffer: [], flushed: state.flushed + written, failures: state.failures + failed, last_error: last_error}
end

service EventStore do
  fn init(pool :: PoolHandle) -> StoreState do
    StoreState { pool: pool, buffer: [], flushed: 0, failures: 0, last_error: None }
  end

  ## Synchronous write, used when the client asked for the issue id back.
  call Store(event :: Event) :: String!String do |state|
    let result = write_event(state.pool, event)
    let next = case result do
      Ok(_) -> %{state | flushed: state.flushed + 1}
      Err(reason) -> %{state | failures: state.failures + 1, last_error: Some(reason)}
    end
    (next, result)
  end

  cast Buffer(event :: Event) do |state|
    let buffer = state.buffer ++ [event]
    if List.length(buffer) >= batch_size() do
      flush_buffer(%{state | buffer: buffer})
    else
      %{state | buffer: buffer}
    end
  end

  cast Flush() do |state|
    flush_buffer(state)
  end

  call Pending() :: Int do |state|
    (state, List.length(state.buffer))
  end

  call Stats() :: (Int, Int) do |state|
    (state, (state.flushed, state.failures))
  end

  call LastError() :: String? do |state|
    (state, state.last_error)
  end
end

## Drains events the native HTTP acceptor queued while this process was busy.
## Heartbeats in the ring are skipped; an empty slot (nil) ends the drain.
pub fn drain_ring(ring :: Ring, store :: Pid) -> Int do
  while true do
    let slot = Ring.pop(ring)
    if slot == nil do
      break
    else if Ring.is_heartbeat(slot) do
      continue
    else
      EventStore.buffer(store, Ring.decode(slot))
    end
  end
  Ring.drained(ring)
end

fn flush_and_count(store :: Pid, ticks :: Int) -> Int do
  EventStore.flush(store)
  ticks + 1
end

## Flushes the store every `interval` ms, or at once on FlushNow.
actor flush_ticker(store :: Pid, interval :: Int, ticks :: Int) do
  receive do
    FlushNow -> flush_ticker(store, interval, flush_and_count(store, ticks))
    StopTicker -> ticks
    after interval -> flush_ticker(store, interval, flush_and_count(store, ticks)) end
  terminate do
    EventStore.flush(store)
    println("flush_ticker: stopped after ${ticks} ticks")
  end
end
