##! Database schema. `migrate` is idempotent: every statement uses IF NOT EXISTS.

#= Tables are created in dependency order. Events are partitioned by day
   in production; here one table keeps the example small.
   #= Nested note: the partitioning DDL lives in ops/, not in this file. =#
   Indexes follow the queries in Storage.Queries. =#

fn tables() -> List<String> do
  [
    """
    CREATE TABLE IF NOT EXISTS projects (
      id UUID PRIMARY KEY,
      organization_id UUID NOT NULL,
      name TEXT NOT NULL,
      platform TEXT NOT NULL DEFAULT 'other',
      inserted_at TIMESTAMPTZ NOT NULL DEFAULT now(),
      updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS issues (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id UUID NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL,
      title TEXT NOT NULL,
      level TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'unresolved',
      event_count BIGINT NOT NULL DEFAULT 0,
      assigned_to TEXT,
      first_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
      last_seen TIMESTAMPTZ NOT NULL DEFAULT now(),
      UNIQUE (project_id, fingerprint)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS events (
      id UUID PRIMARY KEY,
      project_id UUID NOT NULL,
      issue_id UUID REFERENCES issues(id) ON DELETE CASCADE,
      fingerprint TEXT NOT NULL,
      level TEXT NOT NULL,
      message TEXT NOT NULL,
      platform TEXT NOT NULL,
      environment TEXT NOT NULL,
      payload JSONB NOT NULL,
      received_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS members (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id UUID NOT NULL,
      user_id UUID NOT NULL,
      email TEXT NOT NULL,
      role TEXT NOT NULL DEFAULT 'developer',
      UNIQUE (project_id, user_id)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS api_keys (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id UUID NOT NULL,
      label TEXT NOT NULL,
      key_hash TEXT NOT NULL,
      key_prefix TEXT NOT NULL,
      revoked BOOLEAN NOT NULL DEFAULT false
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS alert_rules (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      project_id UUID NOT NULL,
      name TEXT NOT NULL,
      condition_kind TEXT NOT NULL,
      threshold INT NOT NULL DEFAULT 0,
      window_secs INT NOT NULL DEFAULT 300,
      channel TEXT NOT NULL,
      target TEXT NOT NULL,
      enabled BOOLEAN NOT NULL DEFAULT true,
      cooldown_secs INT NOT NULL DEFAULT 900,
      last_fired TIMESTAMPTZ
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS alerts (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      rule_id UUID NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
      project_id UUID NOT NULL,
      status TEXT NOT NULL DEFAULT 'firing',
      message TEXT NOT NULL,
      fired_at TIMESTAMPTZ NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS project_settings (
      project_id UUID PRIMARY KEY,
      retention_days INT NOT NULL DEFAULT 90,
      sample_rate DOUBLE PRECISION NOT NULL DEFAULT 1.0,
      rate_limit INT NOT NULL DEFAULT 1000,
      scrub_fields TEXT[] NOT NULL DEFAULT '{}'
    )
    """
  ]
end

fn indexes() -> List<String> do
  [
    "CREATE INDEX IF NOT EXISTS issues_project_status ON issues (project_id, status, last_seen DESC)",
    "CREATE INDEX IF NOT EXISTS events_issue ON events (issue_id, received_at DESC)",
    "CREATE INDEX IF NOT EXISTS events_project_time ON events (project_id, received_at)",
    "CREATE INDEX IF NOT EXISTS events_payload_tags ON events USING gin ((payload -> 'tags'))",
    "CREATE INDEX IF NOT EXISTS alerts_project ON alerts (project_id, fired_at DESC)"
  ]
end

## Runs every DDL statement in order; stops at the first failure.
pub fn migrate(pool :: PoolHandle) -> Int!String do
  let statements = tables() ++ indexes()
  let results = for sql in statements do
    Pool.execute(pool, sql, [])
  end
  let failures = List.filter(results, fn r -> Result.is_err(r) end)
  case failures do
    Err(reason) :: _ -> Err("migration failed: ${reason}")
    _ -> Ok(List.length(statements))
  end
end
