##! Mesher node entry point.
##!
##! Boots storage and the long-lived services, registers this node's PipelineRegistry,
##! then serves HTTP and WebSocket traffic. Every node runs its own full set of services.

from Config import Config, load_config, describe, is_clustered
from AppSupervisor import start_supervisor
from Storage.Schema import migrate
from Services.EventStore import EventStore
from Services.RateLimiter import RateLimiter
from Services.StreamManager import StreamManager
from Ingestion.Pipeline import PipelineRegistry, start_health_checker
from Ingestion.Routes import ingest_routes
from Ingestion.WsHandler import start_ws
from Api.Search import search_routes
from Api.Dashboard import dashboard_routes
from Api.Detail import detail_routes
from Api.Team import team_routes
from Api.Alerts import alert_routes
from Api.Settings import settings_routes

fn log_warn(message :: String) -> Bool do
  println("[warn] ${message}"); false
end

fn connect_seed(seed :: String) -> Bool do
  case Node.connect(seed) do
    Ok(_) -> true
    Err(reason) -> log_warn("could not reach seed ${seed}: ${reason}")
  end
end

## Starts distribution and joins the seeds; returns how many seeds answered.
fn start_cluster(config :: Config) -> Int do
  let _ = Node.start(config.node_name, config.cookie)
  let joined = for seed in config.seeds do
    connect_seed(seed)
  end
  List.length(List.filter(joined, fn ok -> ok end))
end

## Starts this node's services and returns its PipelineRegistry.
fn start_services(config :: Config) -> Pid do
  let pool = Pool.open(config.database_url, size: config.pool_size, timeout: 5_000)
  case migrate(pool) do
    Ok(n) -> println("schema ready (${n} statements)")
    Err(reason) -> panic("cannot start: ${reason}")
  end
  let store = EventStore.start(pool)
  let limiter = RateLimiter.start(config.rate_limit)
  let streams = StreamManager.start(0)
  let _ = Process.register("event_store", store)
  let _ = Process.register("rate_limiter", limiter)
  # The stream manager stays node-local: it holds WebSocket connection handles.
  let _ = Process.register("stream_manager", streams)
  PipelineRegistry.start(pool, store, limiter, streams)
end

fn register_registry(reg :: Pid, clustered :: Bool) -> Int do
  let _ = Process.register("mesher_registry", reg)
  if clustered do
    register_globally(reg)
  else
    0
  end
end

fn register_globally(reg :: Pid) -> Int do
  # A node-qualified name first, so peers can always address this node's registry.
  let _ = Global.register("mesher_registry@" <> Node.self(), reg)
  # Then the well-known name. The first registration to reach a copy wins there; losing is fine.
  let _ = Global.register("mesher_registry", reg)
  1
end

fn build_router() -> Router do
  HTTP.router()
    |> ingest_routes()
    |> search_routes()
    |> dashboard_routes()
    |> detail_routes()
    |> team_routes()
    |> alert_routes()
    |> settings_routes()
    |> HTTP.on_get("/health", fn(_req) -> HTTP.response(200, "ok") end)
end

fn main() do
  let config = load_config()
  let clustered = is_clustered(config)
  let peers = if clustered do start_cluster(config) else 0 end
  let reg = start_services(config)
  let _ = register_registry(reg, clustered)
  let _ = start_health_checker(30_000)
  let _ = start_supervisor(config)
  let _ = start_ws(config.ws_port)
  println(describe(config))
  println("node: ${if clustered do "${Node.self()} with ${peers} peer(s)" else "standalone" end}")
  HTTP.serve(build_router(), config.http_port)
end
