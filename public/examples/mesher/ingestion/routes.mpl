##! HTTP ingestion and issue-management routes.
##! Events arrive here, are validated, stored through the EventStore and announced to subscribers.

from Api.Helpers import require_param
from Ingestion.Pipeline import PipelineRegistry
from Ingestion.Validation import parse_payload, validate_event, sampled
from Services.EventStore import EventStore
from Services.RateLimiter import RateLimiter, over_limit_body
from Services.StreamManager import StreamManager, project_room
from Storage.Queries import list_issues, get_issue, set_issue_status, assign_issue, delete_issue, count_unresolved
from Types.Event import Event, EventPayload
from Types.Issue import Issue, IssueStatus, parse_status, status_name, can_transition, to_summary_json
import Types.Project

type Handler = Fun(Request) -> Response

pub fn ingest_routes(router :: Router) -> Router do
  router
    |> HTTP.on_post("/api/v1/events", logged("ingest", handle_event))
    |> HTTP.on_post("/api/v1/events/bulk", logged("bulk", handle_bulk))
    |> HTTP.on_get("/api/v1/projects/:project_id/issues", handle_list_issues)
    |> HTTP.on_post("/api/v1/issues/:id/resolve", handle_resolve_issue)
    |> HTTP.on_post("/api/v1/issues/:id/archive", handle_archive_issue)
    |> HTTP.on_post("/api/v1/issues/:id/unresolve", handle_unresolve_issue)
    |> HTTP.on_post("/api/v1/issues/:id/assign", handle_assign_issue)
    |> HTTP.on_post("/api/v1/issues/:id/discard", handle_discard_issue)
    |> HTTP.on_delete("/api/v1/issues/:id", handle_delete_issue)
end

## Wraps a handler with one access-log line per request.
fn logged(name :: String, handler :: Handler) -> Handler do
  fn(request) do
    let started = Time.monotonic_ms()
    let response = handler(request)
    let elapsed = Time.monotonic_ms() - started
    println("${name} ${Request.method(request)} ${Request.path(request)} -> ${response.status} in ${elapsed}ms")
    response
  end
end

fn error_json(status :: Int, message :: String) -> Response do
  HTTP.response(status, Json.encode(%{"error" => message}), content_type: "application/json")
end

fn project_of(request :: Request) -> String do
  Request.header(request, "x-mesher-project")
    |> Option.or_else(fn -> Request.query(request, "project_id") end)
    |> Option.unwrap_or("")
end

# Ingestion

pub fn handle_event(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let limiter = PipelineRegistry.get_rate_limiter(reg_pid)
  let project_id = project_of(request)
  if project_id == "" do
    error_json(400, "missing project (x-mesher-project header)")
  else if not RateLimiter.check(limiter, project_id) do
    HTTP.response(429, over_limit_body(limiter, project_id), retry_after: 1)
  else
    accept_payload(reg_pid, project_id, Request.body(request))
  end
end

fn accept_payload(reg_pid :: Pid, project_id :: String, body :: String) -> Response do
  case parse_payload(body) do
    Single(event) -> accept_one(reg_pid, %{event | project_id: project_id})
    Batch(events) -> error_json(400, "use /api/v1/events/bulk for batches (got ${List.length(events)} events)")
    Invalid(reason) -> error_json(400, reason)
  end
end

fn accept_one(reg_pid :: Pid, event :: Event) -> Response do
  case validate_event(event) do
    Ok(valid) when sampled(1.0) -> store_and_announce(reg_pid, valid)
    Ok(_) -> HTTP.response(202, """{"sampled": false}""")
    Err(reason) -> error_json(422, reason)
  end
end

fn store_and_announce(reg_pid :: Pid, event :: Event) -> Response do
  let store = PipelineRegistry.get_event_store(reg_pid)
  case EventStore.store(store, event) do
    Ok(issue_id) -> announce(event, issue_id)
    Err(reason) -> error_json(503, "could not store event: ${reason}")
  end
end

fn announce(event :: Event, issue_id :: String) -> Response do
  let _ = broadcast_event(event, issue_id)
  let _ = broadcast_issue_count(event.project_id)
  HTTP.response(202, """{"id": "${event.id}", "issue_id": "${issue_id}"}""")
end

pub fn handle_bulk(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let store = PipelineRegistry.get_event_store(reg_pid)
  let project_id = project_of(request)
  case parse_payload(Request.body(request)) do
    Batch(events) -> buffer_all(store, project_id, events)
    Single(event) -> buffer_all(store, project_id, [event])
    Invalid(reason) -> error_json(400, reason)
  end
end

fn buffer_all(store :: Pid, project_id :: String, events :: List<Event>) -> Response do
  let checked = events
    |> List.map(fn(e) -> validate_event(%{e | project_id: project_id}) end)
  let accepted = for r in checked when Result.is_ok(r) do
    Result.unwrap(r)
  end
  List.each(accepted) do |e|
    EventStore.buffer(store, e)
  end
  let rejected = List.length(events) - List.length(accepted)
  HTTP.response(202, "{\"accepted\":${List.length(accepted)},\"rejected\":${rejected}}")
end

# Live updates

fn broadcast_issue_count(project_id :: String) -> Int do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case count_unresolved(pool, project_id) do
    Ok(n) -> Ws.broadcast(project_room(project_id), "{\"type\":\"issue_count\",\"count\":${n}}")
    Err(_) -> 0
  end
end

fn broadcast_event(event :: Event, issue_id :: String) -> Int do
  let reg_pid = Process.whereis("mesher_registry")
  let streams = PipelineRegistry.get_stream_manager(reg_pid)
  let message = Json.encode(%{
    "type" => "event",
    "issue_id" => issue_id,
    "level" => event.level,
    "message" => event.message
  })
  let direct = StreamManager.push(streams, event.project_id, message)
  direct + Ws.broadcast(project_room(event.project_id), message)
end

# Issue management

pub fn handle_list_issues(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let status = Request.query(request, "status") |> Option.unwrap_or("unresolved")
  let limit = Request.query(request, "limit") |> Option.and_then(String.to_int) |> Option.unwrap_or(50)
  case require_param(request, "project_id") do
    Ok(project_id) -> list_response(pool, project_id, status, limit)
    Err(reason) -> error_json(400, reason)
  end
end

fn list_json(pool :: PoolHandle, project_id :: String, status :: String, limit :: Int) -> String!String do
  let issues = list_issues(pool, project_id, status, limit)?
  let body = issues |> List.map(to_summary_json) |> String.join(",")
  Ok("{\"issues\":[${body}],\"count\":${List.length(issues)}}")
end

fn list_response(pool :: PoolHandle, project_id :: String, status :: String, limit :: Int) -> Response do
  case list_json(pool, project_id, status, limit) do
    Ok(body) -> HTTP.response(200, body, content_type: "application/json")
    Err(reason) -> error_json(500, reason)
  end
end

fn transition(pool :: PoolHandle, request :: Request, target :: IssueStatus) -> Response do
  case require_param(request, "id") do
    Ok(issue_id) -> apply_transition(pool, issue_id, target)
    Err(reason) -> error_json(400, reason)
  end
end

fn apply_transition(pool :: PoolHandle, issue_id :: String, target :: IssueStatus) -> Response do
  case get_issue(pool, issue_id) do
    Ok(Some(issue)) -> update_status(pool, issue, target)
    Ok(None) -> error_json(404, "issue ${issue_id} not found")
    Err(reason) -> error_json(500, reason)
  end
end

fn update_status(pool :: PoolHandle, issue :: Issue, target :: IssueStatus) -> Response do
  let current = parse_status(issue.status) |> Result.unwrap_or(Unresolved)
  if not can_transition(current, target) do
    error_json(409, "cannot move issue from ${issue.status} to ${status_name(target)}")
  else
    set_and_report(pool, issue, status_name(target))
  end
end

fn set_and_report(pool :: PoolHandle, issue :: Issue, status :: String) -> Response do
  case set_issue_status(pool, issue.id, status) do
    Ok(n) -> HTTP.response(200, "{\"id\":\"${issue.id}\",\"status\":\"${status}\",\"updated\":${n}}")
    Err(reason) -> error_json(500, reason)
  end
end

pub fn handle_resolve_issue(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  transition(pool, request, Resolved)
end

pub fn handle_archive_issue(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  transition(pool, request, Archived)
end

pub fn handle_unresolve_issue(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  transition(pool, request, Unresolved)
end

pub fn handle_assign_issue(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let body = Json.parse(Request.body(request)) |> Result.unwrap_or(Json.null())
  let assignee = Json.get_string(body, "assignee")
  case require_param(request, "id") do
    Ok(issue_id) -> assign_response(pool, issue_id, assignee)
    Err(reason) -> error_json(400, reason)
  end
end

fn assign_response(pool :: PoolHandle, issue_id :: String, assignee :: String?) -> Response do
  let label = case assignee do
    Some(email) -> "\"${email}\""
    None -> "null"
  end
  case assign_issue(pool, issue_id, assignee) do
    Ok(0) -> error_json(404, "issue ${issue_id} not found")
    Ok(_) -> HTTP.response(200, "{\"id\":\"${issue_id}\",\"assignee\":${label}}")
    Err(reason) -> error_json(500, reason)
  end
end

pub fn handle_discard_issue(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let response = transition(pool, request, Discarded)
  let _ = if response.status == 200 do Metrics.increment("issues.discarded") else 0 end
  response
end

pub fn handle_delete_issue(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  match require_param(request, "id") do
    Ok(issue_id) -> delete_response(pool, issue_id)
    Err(reason) -> error_json(400, reason)
  end
end

fn delete_response(pool :: PoolHandle, issue_id :: String) -> Response do
  case delete_issue(pool, issue_id) do
    Ok(0) -> error_json(404, "issue ${issue_id} not found")
    Ok(n) -> HTTP.response(200, "{\"deleted\":${n}}")
    Err(reason) -> error_json(500, reason)
  end
end
