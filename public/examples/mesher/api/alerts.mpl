##! Alerts API: alert rules and the alerts they fire, plus rule evaluation.

from Ingestion.Pipeline import PipelineRegistry
from Storage.Queries import list_alert_rules, create_alert_rule, set_rule_enabled, delete_alert_rule
from Storage.Queries import list_alerts, set_alert_status, record_alert
import Types.Alert
from Types.Alert import AlertRule, Alert, Condition, condition_of, channel_of, describe, in_cooldown, deliver
from Types.Issue import severity

#= Evaluation model
   A rule is evaluated against a window of recent counts. #= Counts come from the
   dashboard queries, not from the event stream =# so evaluation is cheap and can
   run on any node. =#

pub fn alert_routes(router :: Router) -> Router do
  router
    |> HTTP.on_get("/api/v1/projects/:project_id/alert-rules", handle_list_alert_rules)
    |> HTTP.on_post("/api/v1/projects/:project_id/alert-rules", handle_create_alert_rule)
    |> HTTP.on_post("/api/v1/alert-rules/:rule_id/toggle", handle_toggle_alert_rule)
    |> HTTP.on_delete("/api/v1/alert-rules/:rule_id", handle_delete_alert_rule)
    |> HTTP.on_get("/api/v1/projects/:project_id/alerts", handle_list_alerts)
    |> HTTP.on_post("/api/v1/alerts/:alert_id/ack", handle_acknowledge_alert)
    |> HTTP.on_post("/api/v1/alerts/:alert_id/resolve", handle_resolve_alert)
end

fn p(request :: Request, name :: String) -> String = Request.param(request, name) |> Option.unwrap_or("")

fn bad(status :: Int, message :: String) -> Response = HTTP.response(status, "{\"error\":\"${message}\"}")

fn rule_json(rule :: AlertRule) -> String do
  let state = if rule.enabled do "enabled" else "disabled" end
  "{\"id\":\"${rule.id}\",\"name\":\"${rule.name}\",\"when\":\"${describe(condition_of(rule))}\",\"state\":\"${state}\"}"
end

## Whether a rule fires for the latest counts. Pure, so it is easy to test.
pub fn should_fire(condition :: Types.Alert.Condition, window_count :: Int, new_issue :: Bool, regressed :: Bool, level :: String) -> Bool do
  case condition do
    EventRate(threshold, _) -> window_count > threshold
    NewIssue -> new_issue
    Regression -> regressed
    LevelAtLeast(min) -> severity(level) >= severity(min)
  end
end

fn parse_rule(project_id :: String, body :: String) -> AlertRule!String do
  let json = Json.parse(body)?
  let name = Json.get_string(json, "name") |> Option.unwrap_or("")
  let kind = Json.get_string(json, "condition") |> Option.unwrap_or("event_rate")
  if name == "" do
    Err("rule name is required")
  else
    Ok(AlertRule {
      id: "",
      project_id: project_id,
      name: name,
      condition_kind: kind,
      threshold: Json.get_int(json, "threshold") |> Option.unwrap_or(100),
      window_secs: Json.get_int(json, "window_secs") |> Option.unwrap_or(300),
      channel: Json.get_string(json, "channel") |> Option.unwrap_or("room"),
      target: Json.get_string(json, "target") |> Option.unwrap_or(project_id),
      enabled: true,
      cooldown_secs: Json.get_int(json, "cooldown_secs") |> Option.unwrap_or(15 * 60),
      last_fired: None
    })
  end
end

pub fn handle_list_alert_rules(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case list_alert_rules(pool, p(request, "project_id")) do
    Ok(rules) -> HTTP.response(200, "[${rules |> List.map(rule_json) |> String.join(",")}]")
    Err(reason) -> bad(500, reason)
  end
end

pub fn handle_create_alert_rule(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case parse_rule(p(request, "project_id"), Request.body(request)) do
    Ok(rule) -> created(create_alert_rule(pool, rule))
    Err(reason) -> bad(422, reason)
  end
end

fn created(result :: String!String) -> Response do
  case result do
    Ok(id) -> HTTP.response(201, "{\"id\":\"${id}\"}")
    Err(reason) -> bad(500, reason)
  end
end

pub fn handle_toggle_alert_rule(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let enabled = Request.query(request, "enabled") |> Option.map(fn v -> v == "true" end) |> Option.unwrap_or(true)
  case set_rule_enabled(pool, p(request, "rule_id"), enabled) do
    Ok(0) -> bad(404, "rule not found")
    Ok(_) -> HTTP.response(200, "{\"enabled\":${enabled}}")
    Err(reason) -> bad(500, reason)
  end
end

pub fn handle_delete_alert_rule(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case delete_alert_rule(pool, p(request, "rule_id")) do
    Ok(n) when n > 0 -> HTTP.response(204, "")
    Ok(_) -> bad(404, "rule not found")
    Err(reason) -> bad(500, reason)
  end
end

pub fn handle_list_alerts(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let status = Request.query(request, "status") |> Option.unwrap_or("firing")
  let limit = Request.query(request, "limit") |> Option.and_then(String.to_int) |> Option.unwrap_or(50)
  case list_alerts(pool, p(request, "project_id"), status, limit) do
    Ok(alerts) -> HTTP.response(200, Json.encode(alerts), content_type: "application/json")
    Err(reason) -> bad(500, reason)
  end
end

fn set_status(pool :: PoolHandle, alert_id :: String, status :: String) -> Response do
  case set_alert_status(pool, alert_id, status) do
    Ok(0) -> bad(404, "alert ${alert_id} not found")
    Ok(_) -> HTTP.response(200, "{\"id\":\"${alert_id}\",\"status\":\"${status}\"}")
    Err(reason) -> bad(500, reason)
  end
end

pub fn handle_acknowledge_alert(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  set_status(pool, p(request, "alert_id"), "acknowledged")
end

pub fn handle_resolve_alert(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  set_status(pool, p(request, "alert_id"), "resolved")
end

## Fires every enabled rule that matches and is out of cooldown; returns how many fired.
pub fn evaluate_rules(pool :: PoolHandle, rules :: List<AlertRule>, window_count :: Int, level :: String) -> Int do
  let now = DateTime.to_unix(DateTime.utc_now())
  let due = for rule in rules when rule.enabled && !in_cooldown(rule, now) do
    rule
  end
  let fired = List.filter(due, fn(rule) -> should_fire(condition_of(rule), window_count, false, false, level) end)
  List.each(fired) do |rule|
    let message = "${rule.name}: ${describe(condition_of(rule))} (${window_count} events)"
    let _ = record_alert(pool, rule, message)
    let _ = channel_of(rule) |> deliver(message)
    message
  end
  List.length(fired)
end
