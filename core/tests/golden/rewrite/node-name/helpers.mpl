##! Helpers shared by the HTTP handlers: request parameters, JSON responses, paging.
##! Keep these free of side effects so every handler module can import them.
#
# Conventions:
#   - handlers answer JSON with an "error" key on failure
#   - limits are clamped to 1..500

# Cluster-aware registry lookup that stays on this node.
# In cluster mode every node registers its registry globally as
# "mesher_registry@<node>"; resolving this node's own name keeps service calls
# on the caller's node (a call to another node's PID crashes the caller).
# Standalone (Node.self() is ""), the node-local registry.
pub fn get_registry() do
  if Node.self() != "" do
    Global.whereis("mesher_registry@" <> Node.self())
  else
    Process.whereis("mesher_registry")
  end
end

## The query parameter `name`, or `default` when it is missing or empty.
pub fn query_or_default(request :: Request, name :: String, default :: String) -> String do
  case Request.query(request, name) do
    Some(v) when v != "" -> v
    _ -> default
  end
end

## Encodes a list of JSON-encodable values as a JSON array.
pub fn to_json_array<T>(items :: List<T>) -> String where T: Json do
  let parts = List.map(items, fn(item) -> Json.encode(item) end)
  "[" <> String.join(parts, ",") <> "]"
end

## The path parameter `name`, or an error message naming it.
pub fn require_param(request :: Request, name :: String) -> String!String do
  case Request.param(request, name) do
    Some(v) when v != "" -> Ok(v)
    _ -> Err("missing parameter: ${name}")
  end
end

pub fn json_error(status :: Int, message :: String) -> Response do
  HTTP.response(status, Json.encode(%{"error" => message}), content_type: "application/json")
end

pub fn json_ok(body :: String) -> Response = HTTP.response(200, body, content_type: "application/json")

## Parses ?limit=, clamped to 1..500.
pub fn parse_limit(request :: Request, fallback :: Int) -> Int do
  let raw = query_or_default(request, "limit", "${fallback}")
  case String.to_int(raw) do
    Some(n) when n < 1 -> 1
    Some(n) when n > 500 -> 500
    Some(n) -> n
    None -> fallback
  end
end

pub fn not_found(what :: String) -> Response = json_error(404, "${what} not found")

pub fn from_result<T>(result :: T!String) -> Response where T: Json do
  case result do
    Ok(value) -> json_ok(Json.encode(value))
    Err(reason) -> json_error(500, reason)
  end
end
