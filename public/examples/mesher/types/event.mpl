##! Events as clients send them, plus fingerprinting.
##! An event's fingerprint decides which issue it joins.

from Types.Project import Project

pub type EventId = String

pub type Level do
  Debug
  Info
  Warning
  Error
  Fatal
end deriving(Eq, Json)

pub struct Frame do
  filename :: String
  function :: String
  lineno :: Int
  colno :: Int?
  in_app :: Bool
end deriving(Eq, Json)

pub struct Event do
  table "events"
  primary_key :id
  timestamps true
  belongs_to :project, Project

  id :: EventId
  project_id :: String
  issue_id :: String?
  fingerprint :: String
  level :: String
  message :: String
  platform :: String
  environment :: String
  release :: String?
  frames :: List<Frame>
  tags :: Map<String, String>
  received_at :: String
end deriving(Eq, Json)

## What the ingestion endpoint can receive in one request body.
pub type EventPayload do
  Single(Event)
  Batch(List<Event>)
  Invalid(reason :: String)
end deriving(Eq)

pub fn parse_level("debug") = Debug
pub fn parse_level("info") = Info
pub fn parse_level("warning") = Warning
pub fn parse_level("warn") = Warning
pub fn parse_level("fatal") = Fatal
pub fn parse_level(_) = Error

## Levels that page someone, as opposed to landing quietly in the issue list.
pub fn is_urgent(raw :: String) -> Bool do
  case parse_level(raw) do
    Level.Fatal | Level.Error -> true
    Level.Warning -> String.contains(raw, "!")
    _ -> false
  end
end

pub fn level_name(level :: Level) -> String do
  case level do
    Debug -> "debug"
    Info -> "info"
    Warning -> "warning"
    Error -> "error"
    Fatal -> "fatal"
  end
end

module Fingerprint do
  ## Frames that belong to the application, innermost first.
  pub fn app_frames(frames :: List<Frame>) -> List<Frame> do
    for f in frames when f.in_app do
      f
    end
  end

  fn frame_key(f :: Frame) -> String = "${f.filename}:${f.function}"

  ## Hashes the in-app frames; falls back to the message when there are none.
  pub fn compute(event :: Event) -> String do
    let frames = app_frames(event.frames)
    let basis = if List.is_empty(frames) do
      normalize_message(event.message)
    else
      frames |> List.map(frame_key) |> String.join("|")
    end
    Crypto.sha256("${event.project_id}\n${basis}") |> String.slice(0, 32)
  end

  ## Strips numbers and hex ids so "timeout after 31ms" and "timeout after 30ms" group together.
  pub fn normalize_message(message :: String) -> String do
    message
      |> Regex.replace("0x[0-9a-fA-F]+", "<hex>")
      |> Regex.replace("[0-9]+", "<n>")
      |> String.trim()
  end
end

## Short human title for an issue created from this event.
pub fn title_of(event :: Event) -> String do
  let lines = String.split(event.message, "\n")
  let first_line = if List.is_empty(lines) do "" else lines[0] end
  if String.length(first_line) > 120 do
    String.slice(first_line, 0, 117) <> "..."
  else if first_line == "" do
    "(no message)"
  else
    first_line
  end
end

## Events with a known release get tagged so searches can filter on it.
pub fn with_release_tag(event :: Event) -> Event do
  case event.release do
    Some(r) -> %{event | tags: Map.put(event.tags, "release", r)}
    None -> event
  end
end

pub fn describe_payload(payload :: EventPayload) -> String do
  case payload do
    Single(e) -> "event ${e.id}"
    Batch(events) as b when List.length(events) > 50 -> "large batch of ${List.length(events)} (${Json.encode_size(b)} bytes)"
    Batch(events) -> "batch of ${List.length(events)}"
    Invalid(reason) -> "invalid: ${reason}"
  end
end

pub fn culprit(event :: Event) -> String? do
  case Fingerprint.app_frames(event.frames) do
    f :: _ -> Some("${f.function} (${f.filename}:${f.lineno})")
    _ -> None
  end
end
