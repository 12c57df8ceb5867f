##! StreamManager: which WebSocket connections follow which project.
##! Registered locally as "stream_manager". It must stay node-local: connection handles are raw pointers
##! that mean nothing on another node.

type Conn = Int
type Subscriptions = Map<String, List<Conn>>

struct StreamState do
  subs :: Subscriptions
  conn_count :: Int
  sent :: Int
end

service StreamManager do
  fn init(_seed :: Int) -> StreamState do
    StreamState { subs: %{}, conn_count: 0, sent: 0 }
  end

  cast Connected(conn :: Conn) do |state|
    %{state | conn_count: state.conn_count + 1}
  end

  cast Subscribe(project_id :: String, conn :: Conn) do |state|
    let current = Map.get(state.subs, project_id) |> Option.unwrap_or([])
    let updated = if List.contains(current, conn) do current else [conn] ++ current end
    %{state | subs: Map.put(state.subs, project_id, updated)}
  end

  cast Unsubscribe(project_id :: String, conn :: Conn) do |state|
    let current = Map.get(state.subs, project_id) |> Option.unwrap_or([])
    let remaining = List.filter(current, fn c -> c != conn end)
    %{state | subs: Map.put(state.subs, project_id, remaining)}
  end

  ## Drops a closed connection from every project.
  cast Disconnected(conn :: Conn) do |state|
    let cleaned = Map.map_values(state.subs, fn(conns) -> List.filter(conns, fn c -> c != conn end) end)
    %{state | subs: cleaned, conn_count: Int.max(state.conn_count - 1, 0)}
  end

  call Subscribers(project_id :: String) :: List<Conn> do |state|
    (state, Map.get(state.subs, project_id) |> Option.unwrap_or([]))
  end

  call Push(project_id :: String, message :: String) :: Int do |state|
    let conns = Map.get(state.subs, project_id) |> Option.unwrap_or([])
    for c in conns do
      Ws.send(c, message)
    end
    (%{state | sent: state.sent + List.length(conns)}, List.length(conns))
  end

  call Counts() :: (Int, Int) do |state|
    (state, (state.conn_count, state.sent))
  end
end

pub fn project_room(project_id :: String) -> String = "project:${project_id}"

pub fn subscriptions_report(subs :: Subscriptions) -> List<String> do
  for {project_id, conns} in subs do
    "${project_id}: ${List.length(conns)} connection(s)"
  end
end
