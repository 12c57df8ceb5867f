##! Team API: project members, their roles, and the project's API keys.

from Ingestion.Pipeline import PipelineRegistry
from Storage.Queries import list_members, get_member, add_member, update_member_role, remove_member
from Storage.Queries import list_api_keys, create_api_key, revoke_api_key
from Types.Project import Member, ApiKey, Role, Roles, mask_key

pub fn team_routes(router :: Router) -> Router do
  router
    |> HTTP.on_get("/api/v1/projects/:project_id/members", handle_list_members)
    |> HTTP.on_post("/api/v1/projects/:project_id/members", handle_add_member)
    |> HTTP.on_put("/api/v1/members/:member_id/role", handle_update_member_role)
    |> HTTP.on_delete("/api/v1/members/:member_id", handle_remove_member)
    |> HTTP.on_get("/api/v1/projects/:project_id/keys", handle_list_api_keys)
    |> HTTP.on_post("/api/v1/projects/:project_id/keys", handle_create_api_key)
    |> HTTP.on_delete("/api/v1/keys/:key_id", handle_revoke_api_key)
end

fn path_param(request :: Request, name :: String) -> String = Request.param(request, name) |> Option.unwrap_or("")

fn fail(status :: Int, message :: String) -> Response = HTTP.response(status, "{\"error\":\"${message}\"}")

fn body_field(request :: Request, name :: String) -> String? do
  case Json.parse(Request.body(request)) do
    Ok(json) -> Json.get_string(json, name)
    Err(_) -> None
  end
end

## The caller's role, taken from the session the auth middleware attached.
fn caller_role(request :: Request) -> Role do
  Request.header(request, "x-mesher-role")
    |> Option.and_then(Roles.parse)
    |> Option.unwrap_or(Viewer)
end

fn member_json(m :: Member) -> String do
  "{\"id\":\"${m.id}\",\"email\":\"${m.email}\",\"role\":\"${m.role}\"}"
end

fn key_json(k :: ApiKey) -> String = "{\"id\":\"${k.id}\",\"label\":\"${k.label}\",\"key\":\"${mask_key(k)}\"}"

pub fn handle_list_members(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case list_members(pool, path_param(request, "project_id")) do
    Ok(members) -> HTTP.response(200, "[${members |> List.map(member_json) |> String.join(",")}]")
    Err(reason) -> fail(500, reason)
  end
end

pub fn handle_add_member(request :: Request) -> Response do
  # Look up the registry with Process.whereis so the pool is local.
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let project_id = path_param(request, "project_id")
  let email = body_field(request, "email") |> Option.unwrap_or("")
  let role = body_field(request, "role") |> Option.unwrap_or("developer")
  case (Roles.parse(role), String.contains(email, "@")) do
    (None, _) -> fail(422, "unknown role ${role}")
    (_, false) -> fail(422, "invalid email")
    (Some(r), true) when not Roles.can_manage(caller_role(request), r) -> fail(403, "cannot grant ${role}")
    (Some(_), true) -> created_member(add_member(pool, project_id, Crypto.uuid4(), email, role))
  end
end

fn created_member(result :: String!String) -> Response do
  case result do
    Ok(id) -> HTTP.response(201, "{\"id\":\"${id}\"}")
    Err(reason) when String.contains(reason, "unique") -> fail(409, "already a member")
    Err(reason) -> fail(500, reason)
  end
end

pub fn handle_update_member_role(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let member_id = path_param(request, "member_id")
  let wanted = body_field(request, "role") |> Option.and_then(Roles.parse)
  case (get_member(pool, member_id), wanted) do
    (Ok(Some(m)), Some(role)) -> change_role(pool, request, m, role)
    (Ok(Some(_)), None) -> fail(422, "unknown role")
    (Ok(None), _) -> fail(404, "member not found")
    (Err(reason), _) -> fail(500, reason)
  end
end

fn change_role(pool :: PoolHandle, request :: Request, m :: Member, role :: Role) -> Response do
  let current = Roles.parse(m.role) |> Option.unwrap_or(Viewer)
  let mine = caller_role(request)
  if Roles.can_manage(mine, current) and Roles.can_manage(mine, role) do
    case update_member_role(pool, m.id, Roles.name(role)) do
      Ok(_) -> HTTP.response(200, member_json(%{m | role: Roles.name(role)}))
      Err(reason) -> fail(500, reason)
    end
  else
    fail(403, "insufficient role")
  end
end

pub fn handle_remove_member(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let member_id = path_param(request, "member_id")
  case get_member(pool, member_id) do
    Ok(Some(m)) when m.role == "owner" -> fail(409, "the owner cannot be removed")
    Ok(Some(m)) -> removed(remove_member(pool, m.id))
    Ok(None) -> fail(404, "member not found")
    Err(reason) -> fail(500, reason)
  end
end

fn removed(result :: Int!String) -> Response do
  case result do
    Ok(n) -> HTTP.response(200, "{\"removed\":${n}}")
    Err(reason) -> fail(500, reason)
  end
end

pub fn handle_list_api_keys(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  case list_api_keys(pool, path_param(request, "project_id")) do
    Ok(keys) -> HTTP.response(200, "[${keys |> List.map(key_json) |> String.join(",")}]")
    Err(reason) -> fail(500, reason)
  end
end

## Generates a key, stores only its hash, and returns the key once.
pub fn handle_create_api_key(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let label = body_field(request, "label") |> Option.unwrap_or("default")
  let secret = "mshr_" <> Crypto.random_hex(0x20)
  let prefix = String.slice(secret, 0, 9)
  case create_api_key(pool, path_param(request, "project_id"), label, Crypto.sha256(secret), prefix) do
    Ok(id) -> HTTP.response(201, """{"id": "${id}", "key": "${secret}", "note": "store this key now; it is shown once"}""")
    Err(reason) -> fail(500, reason)
  end
end

pub fn handle_revoke_api_key(request :: Request) -> Response do
  let reg_pid = Process.whereis("mesher_registry")
  let pool = PipelineRegistry.get_pool(reg_pid)
  let key_id = path_param(request, "key_id")
  case revoke_api_key(pool, key_id) do
    Ok(0) -> fail(404, "key ${key_id} not found")
    Ok(_) -> HTTP.response(204, "")
    Err(reason) -> fail(500, reason)
  end
end
