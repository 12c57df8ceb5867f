##! Search API: full-text over issues and events, tag filters, an issue's event list.

from Api.Helpers import query_or_default, to_json_array, require_param
from Ingestion.Pipeline import PipelineRegistry
from Storage.Queries import search_issues, search_events, events_with_tag, issue_events
from Types.Issue import Issue, rank_issues

pub fn search_routes(router :: Router) -> Router do
  router
    |> HTTP.on_get("/api/v1/projects/:project_id/search/issues", handle_search_issues)
    |> HTTP.on_get("/api/v1/projects/:project_id/search/events", handle_search_events)
    |> HTTP.on_get("/api/v1/projects/:project_id/events/by-tag", handle_filter_by_tag)
    |> HTTP.on_get("/api/v1/issues/:issue_id/events", handle_issue_events)
end

fn search_error(message :: String) -> Response do
  HTTP.response(400, "{\"error\":\"${message}\"}", content_type: "application/json")
end

## Terms shorter than this match too much to be useful.
fn min_term_length() -> Int = 2

fn clamp_limit(raw :: String) -> Int do
  case String.to_int(raw) do
    Some(n) when n > 0 and n <= 200 -> n
    Some(n) when n > 200 -> 200
    _ -> 25
  end
end

fn rows_response(result :: List<Map<String, String>>!String) -> Response do
  case result do
    Ok(rows) -> HTTP.response(200, to_json_array(rows), content_type: "application/json")
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

pub fn handle_search_issues(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let term = query_or_default(request, "q", "")
  let limit = clamp_limit(query_or_default(request, "limit", "25"))
  let project = require_param(request, "project_id")
  case (project, String.length(term) >= min_term_length()) do
    (Err(reason), _) -> search_error(reason)
    (Ok(_), false) -> search_error("search term must be at least ${min_term_length()} characters")
    (Ok(project_id), true) -> issues_response(search_issues(pool, project_id, term, limit), limit)
  end
end

fn issues_response(result :: List<Issue>!String, limit :: Int) -> Response do
  case result do
    Ok(issues) -> HTTP.response(200, to_json_array(rank_issues(issues, limit)), content_type: "application/json")
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

pub fn handle_search_events(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let term = query_or_default(request, "q", "")
  let limit = clamp_limit(query_or_default(request, "limit", "25"))
  case require_param(request, "project_id") do
    Ok(project_id) when term != "" -> rows_response(search_events(pool, project_id, term, limit))
    Ok(_) -> search_error("missing search term")
    Err(reason) -> search_error(reason)
  end
end

pub fn handle_filter_by_tag(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let key = query_or_default(request, "key", "environment")
  let value = query_or_default(request, "value", "production")
  let limit = clamp_limit(query_or_default(request, "limit", "50"))
  case require_param(request, "project_id") do
    Ok(project_id) -> rows_response(events_with_tag(pool, project_id, key, value, limit))
    Err(reason) -> search_error(reason)
  end
end

pub fn handle_issue_events(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let limit = clamp_limit(query_or_default(request, "limit", "100"))
  case require_param(request, "issue_id") do
    Ok(issue_id) -> rows_response(issue_events(pool, issue_id, limit))
    Err(reason) -> search_error(reason)
  end
end
