##! Dashboard API: volumes, breakdowns, top issues and a health summary per project.

from Ingestion.Pipeline import PipelineRegistry, format_uptime
from Storage.Queries import event_volume, level_breakdown, top_issues, tag_breakdown, issue_timeline, project_health
from Types.Issue import Issue, to_summary_json, severity
import Types.Event

## A bucket in a time series: (label, count).
type Point = (String, Int)

pub fn dashboard_routes(router :: Router) -> Router do
  router
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/volume", handle_event_volume)
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/levels", handle_level_breakdown)
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/top", handle_top_issues)
    |> HTTP.on_get("/api/v1/projects/:project_id/dashboard/tags/:key", handle_tag_breakdown)
    |> HTTP.on_get("/api/v1/issues/:issue_id/timeline", handle_issue_timeline)
    |> HTTP.on_get("/api/v1/projects/:project_id/health", handle_project_health)
end

fn param(request :: Request, name :: String) -> String = Request.param(request, name) |> Option.unwrap_or("")

fn to_points(rows :: List<Map<String, String>>, label :: String) -> List<Point> do
  List.map(rows, fn(row) -> (Map.get(row, label) |> Option.unwrap_or("?"), Map.get(row, "n") |> Option.and_then(String.to_int) |> Option.unwrap_or(0)) end)
end

fn points_json(points :: List<Point>) -> String do
  let items = for p in points do
    let (label, n) = p
    "{\"label\":\"${label}\",\"count\":${n}}"
  end
  "[${String.join(items, ",")}]"
end

fn series_response(result :: List<Map<String, String>>!String, label :: String) -> Response do
  case result do
    Ok(rows) -> HTTP.response(200, points_json(to_points(rows, label)), content_type: "application/json")
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

## "hour" for ranges up to two days, "day" beyond.
fn bucket_for(hours :: Int) -> String do
  case hours do
    h when h <= 48 -> "hour"
    h when h <= 24 * 90 -> "day"
    _ -> "week"
  end
end

pub fn handle_event_volume(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let hours = Request.query(request, "hours") |> Option.and_then(String.to_int) |> Option.unwrap_or(24)
  series_response(event_volume(pool, param(request, "project_id"), bucket_for(hours), hours), "bucket")
end

pub fn handle_level_breakdown(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let result = level_breakdown(pool, param(request, "project_id"))
  let sorted = Result.map(result, fn(rows) -> List.sort_by(rows, fn(r) -> -severity(Map.get(r, "level") |> Option.unwrap_or("")) end) end)
  series_response(sorted, "level")
end

pub fn handle_top_issues(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let limit = Request.query(request, "limit") |> Option.and_then(String.to_int) |> Option.unwrap_or(10)
  case top_issues(pool, param(request, "project_id"), limit) do
    Ok(issues) -> top_body(issues)
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

fn top_body(issues :: List<Issue>) -> Response do
  let plural = fn 1 -> "" | _ -> "s" end
  let total :: Int = List.reduce(issues, 0) do |acc, issue|
    acc + issue.event_count
  end
  let sorted = List.sort_by(issues, fn(i) -> i.event_count end, order: :desc)
  let items = sorted |> List.map(to_summary_json) |> String.join(",")
  HTTP.response(200, "{\"issues\":[${items}],\"summary\":\"${List.length(issues)} issue${plural(List.length(issues))}, ${total} events\"}")
end

pub fn handle_tag_breakdown(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let key = param(request, "key")
  if key == "" || String.contains(key, "'") do
    HTTP.response(400, "{\"error\":\"invalid tag key\"}")
  else
    series_response(tag_breakdown(pool, param(request, "project_id"), key), "value")
  end
end

pub fn handle_issue_timeline(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  series_response(issue_timeline(pool, param(request, "issue_id")), "bucket")
end

fn int_field(row :: Map<String, String>, name :: String) -> Int do
  Map.get(row, name) |> Option.and_then(String.to_int) |> Option.unwrap_or(0)
end

## Green when nothing fires, amber under load, red when alerts fire.
fn health_colour(open_issues :: Int, per_hour :: Int, firing :: Int) -> String do
  if firing > 0 do
    "red"
  else if per_hour > 10_000 or open_issues > 500 do
    "amber"
  else
    "green"
  end
end

pub fn handle_project_health(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let uptime = format_uptime(PipelineRegistry.uptime(reg_pid))
  case project_health(pool, param(request, "project_id")) do
    Ok(row) -> health_body(row, uptime)
    Err(reason) -> HTTP.response(503, "{\"error\":\"${reason}\"}")
  end
end

fn health_body(row :: Map<String, String>, uptime :: String) -> Response do
  let open_issues = int_field(row, "open_issues")
  let per_hour = int_field(row, "events_last_hour")
  let firing = int_field(row, "firing_alerts")
  let colour = health_colour(open_issues, per_hour, firing)
  let body = %{
    "status" => colour,
    "open_issues" => "${open_issues}",
    "events_last_hour" => "${per_hour}",
    "firing_alerts" => "${firing}",
    "uptime" => uptime
  }
  HTTP.response(200, Json.encode(body), content_type: "application/json")
end
