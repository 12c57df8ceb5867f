##! Validation of incoming event payloads.
##! Clients are untrusted: everything is checked and bounded before it reaches the store.

from Types.Event import Event, Frame, EventPayload, parse_level, level_name

fn max_message_bytes() -> Int = 65_536
fn max_frames() -> Int = 0o200
fn max_batch() -> Int = 100
fn min_sample_rate() -> Float = 2.5e-3
fn max_event_age_secs() -> Float = 1e5

pub fn validate_event(event :: Event) -> Event!String do
  if event.project_id == "" do
    Err("project_id is required")
  else if String.byte_size(event.message) > max_message_bytes() do
    Err("message exceeds ${max_message_bytes()} bytes")
  else if List.length(event.frames) > max_frames() do
    Err("too many frames (${List.length(event.frames)} > ${max_frames()})")
  else
    Ok(normalize(event))
  end
end

fn normalize(event :: Event) -> Event do
  let level = level_name(parse_level(String.downcase(event.level)))
  let id = if event.id == "" do Crypto.uuid4() else event.id end
  let env = if event.environment == "" do "production" else event.environment end
  %{event | id: id, level: level, environment: env, received_at: DateTime.utc_now()}
end

## Accepts a single event object or {"events": [...]}.
pub fn parse_payload(body :: String) -> EventPayload do
  case Json.parse(body) do
    Ok(json) -> classify(json)
    Err(reason) -> Invalid("malformed JSON: ${reason}")
  end
end

fn classify(json :: Json) -> EventPayload do
  case Json.get(json, "events") do
    Some(list) -> decode_batch(list)
    None -> decode_single(json)
  end
end

fn decode_single(json :: Json) -> EventPayload do
  case Event.from_json(json) do
    Ok(event) -> Single(event)
    Err(reason) -> Invalid(reason)
  end
end

fn decode_batch(list :: Json) -> EventPayload do
  let items = Json.to_list(list)
  if List.length(items) > max_batch() do
    Invalid("batch too large: at most ${max_batch()} events")
  else
    Batch(for item in items do Event.from_json(item) |> Result.unwrap_or_else(fn _ -> empty_event() end) end)
  end
end

fn empty_event() -> Event do
  Event {
    id: "",
    project_id: "",
    issue_id: None,
    fingerprint: "",
    level: "error",
    message: "",
    platform: "other",
    environment: "",
    release: None,
    frames: [],
    tags: %{},
    received_at: ""
  }
end

## Rejects the first tag whose key or value is too long for the tags index.
pub fn check_tags(tags :: Map<String, String>) -> Map<String, String>!String do
  for {k, v} in tags do
    if String.length(k) > 32 do
      return Err("tag key too long: ${k}")
    else if String.length(v) > 200 do
      return Err("tag ${k} has a value longer than 200 characters")
    else
      v
    end
  end
  Ok(tags)
end

## Drops fields listed in the project's scrub list from the tags map.
pub fn scrub_tags(tags :: Map<String, String>, scrub :: List<String>) -> Map<String, String> do
  Map.filter(tags, fn k, _v -> not List.contains(scrub, String.downcase(k)) end)
end

## Sampling: keep roughly `rate` of events (1.0 keeps everything, 2.5e-3 keeps one in four hundred).
pub fn sampled(rate :: Float) -> Bool = rate >= 1.0 || Random.float() < Float.max(rate, min_sample_rate())

pub fn too_old(age_secs :: Float) -> Bool = age_secs > max_event_age_secs()

fn frame_ok(f :: Frame) -> Bool = f.lineno >= 0 && f.filename != ""

pub fn valid_frames(frames :: List<Frame>) -> Bool do
  List.all(frames, frame_ok)
end
