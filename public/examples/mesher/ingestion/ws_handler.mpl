##! WebSocket endpoint: live issue streams and event ingestion over a socket.
##! The stream manager is always looked up on this node: the connection handles it holds are local.

from Ingestion.Pipeline import PipelineRegistry
from Ingestion.Validation import parse_payload, validate_event
from Services.EventStore import EventStore
from Services.StreamManager import StreamManager, project_room
from Storage.Queries import count_unresolved
from Types.Event import Event

## Client messages, decoded from {"op": ..., ...}.
type ClientMsg do
  Subscribe(project_id :: String)
  Unsubscribe(project_id :: String)
  Ingest(body :: String)
  Ping
  Unknown(String)
end

# Capability bits negotiated on connect.
fn cap_compress() -> Int = 0b0001
fn cap_batch() -> Int = 0b0010
fn cap_acks() -> Int = 0b0100
fn default_caps() -> Int = 0b0110

fn has_cap(caps :: Int, bit :: Int) -> Bool = Bits.band(caps, bit) != 0

fn cap_names(caps :: Int) -> String do
  let known = [("compress", cap_compress()), ("batch", cap_batch()), ("acks", cap_acks())]
  known
    |> List.filter(fn(pair) -> has_cap(caps, Tuple.second(pair)) end)
    |> List.map(fn(pair) -> "\"${Tuple.first(pair)}\"" end)
    |> String.join(",")
end

fn decode(raw :: String) -> ClientMsg do
  case Json.parse(raw) do
    Ok(json) -> decode_op(Json.get_string(json, "op"), json)
    Err(_) -> Unknown(raw)
  end
end

fn decode_op(op :: String?, json :: Json) -> ClientMsg do
  case op do
    Some("subscribe") -> Subscribe(Json.get_string(json, "project_id") |> Option.unwrap_or(""))
    Some("unsubscribe") -> Unsubscribe(Json.get_string(json, "project_id") |> Option.unwrap_or(""))
    Some("ingest") -> Ingest(Json.get_raw(json, "event") |> Option.unwrap_or("{}"))
    Some("ping") -> Ping
    Some(other) -> Unknown(other)
    None -> Unknown("missing op")
  end
end

pub fn start_ws(port :: Int) -> Pid do
  Ws.serve(port, on_connect: handle_ws_connect, on_message: handle_ws_message, on_close: handle_ws_close)
end

pub fn handle_ws_connect(conn :: Int, caps :: Int) -> Int do
  let sm_pid = Process.whereis("stream_manager")
  StreamManager.connected(sm_pid, conn)
  let granted = if caps == 0 do default_caps() else caps end
  let welcome = "{\"type\":\"welcome\",\"caps\":[${cap_names(granted)}]}"
  Ws.send(conn, welcome)
end

pub fn handle_ws_close(conn :: Int) -> Int do
  let sm_pid = Process.whereis("stream_manager")
  StreamManager.disconnected(sm_pid, conn)
  0
end

pub fn handle_ws_message(conn :: Int, raw :: String) -> Int do
  case decode(raw) do
    Subscribe(project_id) -> handle_subscribe_update(conn, project_id)
    Unsubscribe(project_id) -> handle_unsubscribe(conn, project_id)
    Ingest(body) -> handle_ingest_message(conn, body)
    Ping -> Ws.send(conn, "{\"type\":\"pong\"}")
    Unknown(what) -> Ws.send(conn, "{\"type\":\"error\",\"message\":\"unknown message: ${String.slice(what, 0, 40)}\"}")
  end
end

## Subscribes the connection and sends it the project's current open-issue count.
pub fn handle_subscribe_update(conn :: Int, project_id :: String) -> Int do
  let sm_pid = Process.whereis("stream_manager")
  StreamManager.subscribe(sm_pid, project_id, conn)
  Ws.join(conn, project_room(project_id))
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let count = count_unresolved(pool, project_id) |> Result.unwrap_or(0)
  Ws.send(conn, "{\"type\":\"subscribed\",\"project_id\":\"${project_id}\",\"open_issues\":${count}}")
end

pub fn handle_unsubscribe(conn :: Int, project_id :: String) -> Int do
  let sm_pid = Process.whereis("stream_manager")
  StreamManager.unsubscribe(sm_pid, project_id, conn)
  Ws.leave(conn, project_room(project_id))
end

## Ingestion over the socket: same validation as HTTP, acknowledged on the same connection.
pub fn handle_ingest_message(conn :: Int, body :: String) -> Int do
  let reg_pid = Process.whereis("mesher_registry")
  let store = PipelineRegistry.get_event_store(reg_pid)
  case parse_payload(body) do
    Single(event) -> ingest_one(conn, store, event)
    Batch(events) -> ingest_many(conn, store, events)
    Invalid(reason) -> Ws.send(conn, "{\"type\":\"rejected\",\"reason\":\"${reason}\"}")
  end
end

fn ingest_one(conn :: Int, store :: Pid, event :: Event) -> Int do
  case validate_event(event) do
    Ok(valid) -> ack(conn, valid.id, EventStore.buffer(store, valid))
    Err(reason) -> Ws.send(conn, "{\"type\":\"rejected\",\"reason\":\"${reason}\"}")
  end
end

fn ingest_many(conn :: Int, store :: Pid, events :: List<Event>) -> Int do
  let sent = events |> List.map(fn e -> ingest_one(conn, store, e) end) |> List.sum()
  Ws.send(conn, "{\"type\":\"batch_done\",\"count\":${List.length(events)}}") + sent
end

fn ack(conn :: Int, event_id :: String, _result :: ()) -> Int do
  Ws.send(conn, "{\"type\":\"ack\",\"id\":\"${event_id}\"}")
end
