##! Settings API: per-project retention, sampling and rate limits, plus storage usage.

from Ingestion.Pipeline import PipelineRegistry
from Services.RateLimiter import RateLimiter
from Storage.Queries import get_settings, save_settings, storage_stats
from Types.Project import ProjectSettings, default_settings

pub fn settings_routes(router :: Router) -> Router do
  router
    |> HTTP.on_get("/api/v1/projects/:project_id/settings", handle_get_settings)
    |> HTTP.on_put("/api/v1/projects/:project_id/settings", handle_update_settings)
    |> HTTP.on_get("/api/v1/projects/:project_id/storage", handle_storage_stats)
end

fn project_id_of(request :: Request) -> String = Request.param(request, "project_id") |> Option.unwrap_or("")

## Applies the fields present in `json` to `current`, validating each.
fn merge_settings(current :: ProjectSettings, json :: Json) -> ProjectSettings!String do
  let days = Json.get_int(json, "retention_days") |> Option.unwrap_or(current.retention_days)
  let rate = Json.get_float(json, "sample_rate") |> Option.unwrap_or(current.sample_rate)
  let limit = Json.get_int(json, "rate_limit") |> Option.unwrap_or(current.rate_limit)
  if days < 1 or days > 365 do
    Err("retention_days must be within 1..365")
  else if rate <= 0.0 or rate > 1.0 do
    Err("sample_rate must be in (0, 1]")
  else if limit < 10 do
    Err("rate_limit must be at least 10")
  else
    Ok(%{current | retention_days: days, sample_rate: rate, rate_limit: limit})
  end
end

fn human_bytes(n :: Int) -> String do
  if n >= 1_073_741_824 do
    "${n / 1_073_741_824} GiB"
  else if n >= 1_048_576 do
    "${n / 1_048_576} MiB"
  else if n >= 1024 do
    "${n / 1024} KiB"
  else
    "${n} B"
  end
end

pub fn handle_get_settings(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let project_id = project_id_of(request)
  case get_settings(pool, project_id) do
    Ok(Some(s)) -> HTTP.response(200, Json.encode(s), content_type: "application/json")
    Ok(None) -> HTTP.response(200, Json.encode(default_settings(project_id)), content_type: "application/json")
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

pub fn handle_update_settings(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let limiter = PipelineRegistry.get_rate_limiter(reg_pid)
  let project_id = project_id_of(request)
  let current = get_settings(pool, project_id) |> Result.unwrap_or(None) |> Option.unwrap_or(default_settings(project_id))
  let merged = Json.parse(Request.body(request)) |> Result.and_then(fn json -> merge_settings(current, json) end)
  case merged do
    Ok(s) -> saved(pool, limiter, s)
    Err(reason) -> HTTP.response(422, "{\"error\":\"${reason}\"}")
  end
end

fn saved(pool :: PoolHandle, limiter :: Pid, s :: ProjectSettings) -> Response do
  case save_settings(pool, s) do
    Ok(_) -> applied(limiter, s)
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

fn applied(limiter :: Pid, s :: ProjectSettings) -> Response do
  RateLimiter.set_limit(limiter, s.rate_limit)
  HTTP.response(200, Json.encode(s), content_type: "application/json")
end

pub fn handle_storage_stats(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case storage_stats(pool, project_id_of(request)) do
    Ok(row) -> storage_body(row)
    Err(reason) -> HTTP.response(500, "{\"error\":\"${reason}\"}")
  end
end

fn storage_body(row :: Map<String, String>) -> Response do
  let bytes = Map.get(row, "bytes") |> Option.and_then(String.to_int) |> Option.unwrap_or(0)
  let events = Map.get(row, "events") |> Option.unwrap_or("0")
  let body = """
  {"events": ${events}, "bytes": ${bytes}, "human": "${human_bytes(bytes)}",
   "oldest": "${Map.get(row, "oldest") |> Option.unwrap_or("")}", "newest": "${Map.get(row, "newest") |> Option.unwrap_or("")}"}
  """
  HTTP.response(200, body, content_type: "application/json")
end
