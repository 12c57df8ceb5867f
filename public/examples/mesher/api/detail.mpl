##! Event detail API.
##! Returns one event's full payload plus the ids of its neighbours within the same issue,
##! so the UI can page through an issue's events one at a time.
# This module deliberately has no imports: it only uses the registry service and builtins.
# Stack frames are returned as stored; symbolication happens in the browser.

pub fn detail_routes(router :: Router) -> Router do
  router |> HTTP.on_get("/api/v1/events/:event_id", handle_event_detail)
end

fn lookup_event(pool :: PoolHandle, event_id :: String) -> Map<String, String>?!String do
  let rows = Pool.query(pool, "SELECT id, issue_id, payload::text AS payload, received_at FROM events WHERE id = $1", [event_id])?
  Ok(List.first(rows))
end

fn neighbours(pool :: PoolHandle, issue_id :: String, received_at :: String) -> (String, String) do
  let sql = """
    SELECT
      (SELECT id FROM events WHERE issue_id = $1 AND received_at < $2 ORDER BY received_at DESC LIMIT 1) AS prev_id,
      (SELECT id FROM events WHERE issue_id = $1 AND received_at > $2 ORDER BY received_at ASC LIMIT 1) AS next_id
  """
  case Pool.query(pool, sql, [issue_id, received_at]) do
    Ok(row :: _) -> (Map.get(row, "prev_id") |> Option.unwrap_or(""), Map.get(row, "next_id") |> Option.unwrap_or(""))
    _ -> ("", "")
  end
end

fn json_id(id :: String) -> String = if id == "" do "null" else "\"${id}\"" end

fn render(pool :: PoolHandle, row :: Map<String, String>) -> Response do
  let issue_id = Map.get(row, "issue_id") |> Option.unwrap_or("")
  let received_at = Map.get(row, "received_at") |> Option.unwrap_or("")
  let (prev_id, next_id) = neighbours(pool, issue_id, received_at)
  let payload = Map.get(row, "payload") |> Option.unwrap_or("{}")
  let body = """
  {
    "event": ${payload},
    "issue_id": ${json_id(issue_id)},
    "received_at": "${received_at}",
    "prev": ${json_id(prev_id)},
    "next": ${json_id(next_id)}
  }
  """
  HTTP.response(200, body, content_type: "application/json")
end

pub fn handle_event_detail(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let event_id = Request.param(request, "event_id") |> Option.unwrap_or("")
  case lookup_event(pool, event_id) do
    Ok(Some(row)) -> render(pool, row)
    Ok(None) -> HTTP.response(404, "{\"error\":\"event ${event_id} not found\"}")
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end
