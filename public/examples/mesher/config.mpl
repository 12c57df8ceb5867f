##! Runtime configuration, read once at boot from the environment.
##! Nothing here talks to other processes, so it is safe to call from anywhere.

pub struct Config do
  http_port :: Int
  ws_port :: Int
  database_url :: String
  pool_size :: Int
  rate_limit :: Int
  node_name :: String
  cookie :: String
  seeds :: List<String>
  retention_days :: Int
  sample_rate :: Float
end deriving(Eq, Json)

## Reads an integer variable, falling back to `default` when it is absent or not a number.
pub fn env_int(name :: String, default :: Int) -> Int do
  case Env.get(name) do
    Some(raw) -> parse_int_or(raw, default)
    None -> default
  end
end

fn parse_int_or(raw :: String, default :: Int) -> Int do
  case String.to_int(String.trim(raw)) do
    Some(n) when n >= 0 -> n
    _ -> default
  end
end

## Reads a string variable.
pub fn env_str(name :: String, default :: String) -> String do
  case Env.get(name) do
    Some(v) -> v
    None -> default
  end
end

pub fn env_float(name :: String, default :: Float) -> Float do
  match Env.get(name) do
    Some(raw) -> String.to_float(raw) |> Option.unwrap_or(default)
    None -> default
  end
end

fn split_seeds(raw :: String) -> List<String> do
  raw
    |> String.split(",")
    |> List.map(fn s -> String.trim(s) end)
    |> List.filter(fn(s) -> s != "" end)
end

pub fn load_config() -> Config do
  let seeds = split_seeds(env_str("MESHER_SEEDS", ""))
  Config {
    http_port: env_int("MESHER_HTTP_PORT", 8080),
    ws_port: env_int("MESHER_WS_PORT", 8081),
    database_url: env_str("DATABASE_URL", "postgres://mesher:mesher@localhost:5432/mesher"),
    pool_size: env_int("MESHER_POOL_SIZE", 0x10),
    rate_limit: env_int("MESHER_RATE_LIMIT", 1_000),
    node_name: env_str("MESHER_NODE", ""),
    cookie: env_str("MESHER_COOKIE", "mesher-dev-cookie"),
    seeds: seeds,
    retention_days: env_int("MESHER_RETENTION_DAYS", 90),
    sample_rate: env_float("MESHER_SAMPLE_RATE", 1.0)
  }
end

pub def is_clustered(config :: Config) -> Bool = config.node_name != ""

pub fn describe(config :: Config) -> String do
  let mode = if is_clustered(config) do "cluster node ${config.node_name}" else "standalone" end
  "mesher (${mode}) http=${config.http_port} ws=${config.ws_port} pool=${config.pool_size}"
end
