##! SQL access for issues, events, members, API keys, alert rules and settings.
##! Every function takes the pool handle explicitly; nothing in this module looks up services.

from Types.Issue import Issue
from Types.Event import Event
from Types.Project import Member, ApiKey, ProjectSettings
from Types.Alert import AlertRule, Alert

type Row = Map<String, String>

# Column helpers: the driver hands back every column as text.

fn col(row :: Row, name :: String) -> String do
  case Map.get(row, name) do
    Some(v) -> v
    None -> ""
  end
end

fn col_int(row :: Row, name :: String) -> Int do
  case String.to_int(col(row, name)) do
    Some(n) -> n
    None -> 0
  end
end

fn col_float(row :: Row, name :: String) -> Float = String.to_float(col(row, name)) |> Option.unwrap_or(0.0)

fn col_opt(row :: Row, name :: String) -> String? do
  case col(row, name) do
    "" -> None
    v -> Some(v)
  end
end

fn col_bool(row :: Row, name :: String) -> Bool = col(row, name) == "t"

fn first_col(rows :: List<Row>, name :: String) -> String do
  case rows do
    row :: _ -> col(row, name)
    _ -> ""
  end
end

# Row mappers

pub fn row_to_issue(row :: Row) -> Issue do
  Issue {
    id: col(row, "id"),
    project_id: col(row, "project_id"),
    fingerprint: col(row, "fingerprint"),
    title: col(row, "title"),
    level: col(row, "level"),
    status: col(row, "status"),
    event_count: col_int(row, "event_count"),
    assigned_to: col_opt(row, "assigned_to"),
    first_seen: col(row, "first_seen"),
    last_seen: col(row, "last_seen")
  }
end

pub fn row_to_member(row :: Row) -> Member do
  Member {
    id: col(row, "id"),
    project_id: col(row, "project_id"),
    user_id: col(row, "user_id"),
    email: col(row, "email"),
    role: col(row, "role")
  }
end

pub fn row_to_api_key(row :: Row) -> ApiKey do
  ApiKey {
    id: col(row, "id"),
    project_id: col(row, "project_id"),
    label: col(row, "label"),
    key_prefix: col(row, "key_prefix"),
    revoked: col_bool(row, "revoked")
  }
end

pub fn row_to_rule(row :: Row) -> AlertRule do
  AlertRule {
    id: col(row, "id"),
    project_id: col(row, "project_id"),
    name: col(row, "name"),
    condition_kind: col(row, "condition_kind"),
    threshold: col_int(row, "threshold"),
    window_secs: col_int(row, "window_secs"),
    channel: col(row, "channel"),
    target: col(row, "target"),
    enabled: col_bool(row, "enabled"),
    cooldown_secs: col_int(row, "cooldown_secs"),
    last_fired: col_opt(row, "last_fired")
  }
end

pub fn row_to_alert(row :: Row) -> Alert do
  Alert {
    id: col(row, "id"),
    rule_id: col(row, "rule_id"),
    project_id: col(row, "project_id"),
    status: col(row, "status"),
    message: col(row, "message"),
    fired_at: col(row, "fired_at")
  }
end

# Events and issues

pub fn insert_event(pool :: PoolHandle, event :: Event, issue_id :: String) -> String!String do
  let sql = """
    INSERT INTO events (id, project_id, issue_id, fingerprint, level, message, platform, environment, payload)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
    RETURNING id
  """
  let params = [event.id, event.project_id, issue_id, event.fingerprint, event.level, event.message, event.platform, event.environment, Json.encode(event)]
  let rows = Pool.query(pool, sql, params)?
  Ok(first_col(rows, "id"))
end

## Creates the issue for a fingerprint or bumps the existing one; returns its id.
pub fn upsert_issue(pool :: PoolHandle, project_id :: String, fingerprint :: String, title :: String, level :: String) -> String!String do
  let sql = """
    INSERT INTO issues (project_id, fingerprint, title, level, event_count)
    VALUES ($1, $2, $3, $4, 1)
    ON CONFLICT (project_id, fingerprint)
    DO UPDATE SET event_count = issues.event_count + 1, last_seen = now(),
      status = CASE WHEN issues.status = 'resolved' THEN 'unresolved' ELSE issues.status END
    RETURNING id
  """
  let rows = Pool.query(pool, sql, [project_id, fingerprint, title, level])?
  Ok(first_col(rows, "id"))
end

pub fn list_issues(pool :: PoolHandle, project_id :: String, status :: String, limit :: Int) -> List<Issue>!String do
  let sql = "SELECT * FROM issues WHERE project_id = $1 AND status = $2 ORDER BY last_seen DESC LIMIT $3"
  let rows = Pool.query(pool, sql, [project_id, status, "${limit}"])?
  Ok(List.map(rows, row_to_issue))
end

pub fn get_issue(pool :: PoolHandle, issue_id :: String) -> Issue?!String do
  let rows = Pool.query(pool, "SELECT * FROM issues WHERE id = $1", [issue_id])?
  Ok(rows |> List.first() |> Option.map(row_to_issue))
end

pub fn set_issue_status(pool :: PoolHandle, issue_id :: String, status :: String) -> Int!String do
  Pool.execute(pool, "UPDATE issues SET status = $2 WHERE id = $1", [issue_id, status])
end

pub fn assign_issue(pool :: PoolHandle, issue_id :: String, assignee :: String?) -> Int!String do
  let value = case assignee do
    Some(email) -> email
    None -> ""
  end
  Pool.execute(pool, "UPDATE issues SET assigned_to = NULLIF($2, '') WHERE id = $1", [issue_id, value])
end

pub fn delete_issue(pool :: PoolHandle, issue_id :: String) -> Int!String do
  let _ = Pool.execute(pool, "DELETE FROM events WHERE issue_id = $1", [issue_id])?
  Pool.execute(pool, "DELETE FROM issues WHERE id = $1", [issue_id])
end

pub fn count_unresolved(pool :: PoolHandle, project_id :: String) -> Int!String do
  let rows = Pool.query(pool, "SELECT count(*) AS n FROM issues WHERE project_id = $1 AND status = 'unresolved'", [project_id])?
  Ok(String.to_int(first_col(rows, "n")) |> Option.unwrap_or(0))
end

pub fn get_event(pool :: PoolHandle, event_id :: String) -> Row?!String do
  let rows = Pool.query(pool, "SELECT id, issue_id, payload::text AS payload, received_at FROM events WHERE id = $1", [event_id])?
  Ok(List.first(rows))
end

pub fn neighbour_events(pool :: PoolHandle, issue_id :: String, received_at :: String) -> (String, String)!String do
  let sql = """
    SELECT
      (SELECT id FROM events WHERE issue_id = $1 AND received_at < $2 ORDER BY received_at DESC LIMIT 1) AS prev_id,
      (SELECT id FROM events WHERE issue_id = $1 AND received_at > $2 ORDER BY received_at ASC LIMIT 1) AS next_id
  """
  let rows = Pool.query(pool, sql, [issue_id, received_at])?
  Ok((first_col(rows, "prev_id"), first_col(rows, "next_id")))
end

# Search

pub fn search_issues(pool :: PoolHandle, project_id :: String, term :: String, limit :: Int) -> List<Issue>!String do
  let sql = "SELECT * FROM issues WHERE project_id = $1 AND title ILIKE '%' || $2 || '%' ORDER BY last_seen DESC LIMIT $3"
  let rows = Pool.query(pool, sql, [project_id, term, "${limit}"])?
  Ok(List.map(rows, row_to_issue))
end

pub fn search_events(pool :: PoolHandle, project_id :: String, term :: String, limit :: Int) -> List<Row>!String do
  let sql = """
    SELECT id, issue_id, level, message, received_at FROM events
    WHERE project_id = $1 AND to_tsvector('english', message) @@ plainto_tsquery('english', $2)
    ORDER BY received_at DESC LIMIT $3
  """
  Pool.query(pool, sql, [project_id, term, "${limit}"])
end

pub fn events_with_tag(pool :: PoolHandle, project_id :: String, key :: String, value :: String, limit :: Int) -> List<Row>!String do
  let sql = "SELECT id, issue_id, level, message, received_at FROM events WHERE project_id = $1 AND payload -> 'tags' ->> $2 = $3 ORDER BY received_at DESC LIMIT $4"
  Pool.query(pool, sql, [project_id, key, value, "${limit}"])
end

pub fn issue_events(pool :: PoolHandle, issue_id :: String, limit :: Int) -> List<Row>!String do
  Pool.query(pool, "SELECT id, level, message, received_at FROM events WHERE issue_id = $1 ORDER BY received_at DESC LIMIT $2", [issue_id, "${limit}"])
end

# Dashboard aggregates

pub fn event_volume(pool :: PoolHandle, project_id :: String, bucket :: String, hours :: Int) -> List<Row>!String do
  let sql = """
    SELECT date_trunc($2, received_at) AS bucket, count(*) AS n
    FROM events WHERE project_id = $1 AND received_at > now() - make_interval(hours => $3)
    GROUP BY 1 ORDER BY 1
  """
  Pool.query(pool, sql, [project_id, bucket, "${hours}"])
end

pub fn level_breakdown(pool :: PoolHandle, project_id :: String) -> List<Row>!String do
  Pool.query(pool, "SELECT level, count(*) AS n FROM events WHERE project_id = $1 GROUP BY level ORDER BY n DESC", [project_id])
end

pub fn top_issues(pool :: PoolHandle, project_id :: String, limit :: Int) -> List<Issue>!String do
  let rows = Pool.query(pool, "SELECT * FROM issues WHERE project_id = $1 AND status = 'unresolved' ORDER BY event_count DESC LIMIT $2", [project_id, "${limit}"])?
  Ok(List.map(rows, row_to_issue))
end

pub fn tag_breakdown(pool :: PoolHandle, project_id :: String, key :: String) -> List<Row>!String do
  let sql = "SELECT payload -> 'tags' ->> $2 AS value, count(*) AS n FROM events WHERE project_id = $1 GROUP BY 1 ORDER BY n DESC LIMIT 20"
  Pool.query(pool, sql, [project_id, key])
end

pub fn issue_timeline(pool :: PoolHandle, issue_id :: String) -> List<Row>!String do
  Pool.query(pool, "SELECT date_trunc('hour', received_at) AS bucket, count(*) AS n FROM events WHERE issue_id = $1 GROUP BY 1 ORDER BY 1", [issue_id])
end

pub fn project_health(pool :: PoolHandle, project_id :: String) -> Row!String do
  let sql = """
    SELECT
      (SELECT count(*) FROM issues WHERE project_id = $1 AND status = 'unresolved') AS open_issues,
      (SELECT count(*) FROM events WHERE project_id = $1 AND received_at > now() - interval '1 hour') AS events_last_hour,
      (SELECT count(*) FROM alerts WHERE project_id = $1 AND status = 'firing') AS firing_alerts
  """
  let rows = Pool.query(pool, sql, [project_id])?
  Ok(List.first(rows) |> Option.unwrap_or(Map.new()))
end

# Team

pub fn list_members(pool :: PoolHandle, project_id :: String) -> List<Member>!String do
  let rows = Pool.query(pool, "SELECT * FROM members WHERE project_id = $1 ORDER BY email", [project_id])?
  Ok(List.map(rows, row_to_member))
end

pub fn get_member(pool :: PoolHandle, member_id :: String) -> Member?!String do
  let rows = Pool.query(pool, "SELECT * FROM members WHERE id = $1", [member_id])?
  Ok(List.first(rows) |> Option.map(row_to_member))
end

pub fn add_member(pool :: PoolHandle, project_id :: String, user_id :: String, email :: String, role :: String) -> String!String do
  let sql = "INSERT INTO members (project_id, user_id, email, role) VALUES ($1, $2, $3, $4) RETURNING id"
  let rows = Pool.query(pool, sql, [project_id, user_id, email, role])?
  Ok(first_col(rows, "id"))
end

pub fn update_member_role(pool :: PoolHandle, member_id :: String, role :: String) -> Int!String do
  Pool.execute(pool, "UPDATE members SET role = $2 WHERE id = $1", [member_id, role])
end

pub fn remove_member(pool :: PoolHandle, member_id :: String) -> Int!String do
  Pool.execute(pool, "DELETE FROM members WHERE id = $1", [member_id])
end

pub fn list_api_keys(pool :: PoolHandle, project_id :: String) -> List<ApiKey>!String do
  let rows = Pool.query(pool, "SELECT * FROM api_keys WHERE project_id = $1 AND NOT revoked", [project_id])?
  Ok(List.map(rows, row_to_api_key))
end

pub fn create_api_key(pool :: PoolHandle, project_id :: String, label :: String, key_hash :: String, prefix :: String) -> String!String do
  let sql = "INSERT INTO api_keys (project_id, label, key_hash, key_prefix) VALUES ($1, $2, $3, $4) RETURNING id"
  let rows = Pool.query(pool, sql, [project_id, label, key_hash, prefix])?
  Ok(first_col(rows, "id"))
end

pub fn revoke_api_key(pool :: PoolHandle, key_id :: String) -> Int!String do
  Pool.execute(pool, "UPDATE api_keys SET revoked = true WHERE id = $1", [key_id])
end

# Alerts

pub fn list_alert_rules(pool :: PoolHandle, project_id :: String) -> List<AlertRule>!String do
  let rows = Pool.query(pool, "SELECT * FROM alert_rules WHERE project_id = $1 ORDER BY name", [project_id])?
  Ok(List.map(rows, row_to_rule))
end

pub fn create_alert_rule(pool :: PoolHandle, rule :: AlertRule) -> String!String do
  let sql = """
    INSERT INTO alert_rules (project_id, name, condition_kind, threshold, window_secs, channel, target, cooldown_secs)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id
  """
  let params = [rule.project_id, rule.name, rule.condition_kind, "${rule.threshold}", "${rule.window_secs}", rule.channel, rule.target, "${rule.cooldown_secs}"]
  let rows = Pool.query(pool, sql, params)?
  Ok(first_col(rows, "id"))
end

pub fn set_rule_enabled(pool :: PoolHandle, rule_id :: String, enabled :: Bool) -> Int!String do
  let flag = if enabled do "true" else "false" end
  Pool.execute(pool, "UPDATE alert_rules SET enabled = $2::boolean WHERE id = $1", [rule_id, flag])
end

pub fn delete_alert_rule(pool :: PoolHandle, rule_id :: String) -> Int!String do
  Pool.execute(pool, "DELETE FROM alert_rules WHERE id = $1", [rule_id])
end

pub fn list_alerts(pool :: PoolHandle, project_id :: String, status :: String, limit :: Int) -> List<Alert>!String do
  let rows = Pool.query(pool, "SELECT * FROM alerts WHERE project_id = $1 AND status = $2 ORDER BY fired_at DESC LIMIT $3", [project_id, status, "${limit}"])?
  Ok(List.map(rows, row_to_alert))
end

pub fn set_alert_status(pool :: PoolHandle, alert_id :: String, status :: String) -> Int!String do
  Pool.execute(pool, "UPDATE alerts SET status = $2 WHERE id = $1", [alert_id, status])
end

pub fn record_alert(pool :: PoolHandle, rule :: AlertRule, message :: String) -> String!String do
  let rows = Pool.query(pool, "INSERT INTO alerts (rule_id, project_id, message) VALUES ($1, $2, $3) RETURNING id", [rule.id, rule.project_id, message])?
  let _ = Pool.execute(pool, "UPDATE alert_rules SET last_fired = now() WHERE id = $1", [rule.id])?
  Ok(first_col(rows, "id"))
end

# Settings and storage

pub fn get_settings(pool :: PoolHandle, project_id :: String) -> ProjectSettings?!String do
  let rows = Pool.query(pool, "SELECT *, array_to_string(scrub_fields, ',') AS scrub FROM project_settings WHERE project_id = $1", [project_id])?
  Ok(List.first(rows) |> Option.map(fn(row) -> row_to_settings(row) end))
end

fn row_to_settings(row :: Row) -> ProjectSettings do
  ProjectSettings {
    project_id: col(row, "project_id"),
    retention_days: col_int(row, "retention_days"),
    sample_rate: col_float(row, "sample_rate"),
    rate_limit: col_int(row, "rate_limit"),
    scrub_fields: String.split(col(row, "scrub"), ",")
  }
end

pub fn save_settings(pool :: PoolHandle, s :: ProjectSettings) -> Int!String do
  let sql = """
    INSERT INTO project_settings (project_id, retention_days, sample_rate, rate_limit, scrub_fields)
    VALUES ($1, $2, $3, $4, string_to_array($5, ','))
    ON CONFLICT (project_id) DO UPDATE SET retention_days = $2, sample_rate = $3, rate_limit = $4, scrub_fields = string_to_array($5, ',')
  """
  Pool.execute(pool, sql, [s.project_id, "${s.retention_days}", "${s.sample_rate}", "${s.rate_limit}", String.join(s.scrub_fields, ",")])
end

pub fn storage_stats(pool :: PoolHandle, project_id :: String) -> Row!String do
  let sql = """
    SELECT count(*) AS events, coalesce(sum(pg_column_size(payload)), 0) AS bytes,
      min(received_at) AS oldest, max(received_at) AS newest
    FROM events WHERE project_id = $1
  """
  let rows = Pool.query(pool, sql, [project_id])?
  Ok(List.first(rows) |> Option.unwrap_or(Map.new()))
end

pub fn delete_events_older_than(pool :: PoolHandle, days :: Int) -> Int!String do
  Pool.execute(pool, "DELETE FROM events WHERE received_at < now() - make_interval(days => $1)", ["${days}"])
end
