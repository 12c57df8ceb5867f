##! Issues: groups of events that share one fingerprint.
##! An issue moves between statuses through the API; events only ever bump its counters.

from Types.Project import Project, User
from Types.Event import Event

pub type IssueStatus do
  Unresolved
  Resolved
  Archived
  Discarded
end deriving(Eq, Json)

## Severity ranks levels so alert rules can say "warning or worse".
pub type Severity = Int

pub struct Issue do
  table "issues"
  primary_key :id
  timestamps true
  belongs_to :project, Project
  belongs_to :assignee, User
  has_many :events, Event

  id :: String
  project_id :: String
  fingerprint :: String
  title :: String
  level :: String
  status :: String
  event_count :: Int
  assigned_to :: String?
  first_seen :: String
  last_seen :: String
end deriving(Eq, Json)

## A page of issues plus the cursor for the next one.
pub struct IssuePage<T> do
  items :: List<T>
  next_cursor :: String?
  total :: Int
end deriving(Json)

pub fn status_name(Unresolved) = "unresolved"
pub fn status_name(Resolved) = "resolved"
pub fn status_name(Archived) = "archived"
pub fn status_name(Discarded) = "discarded"

pub fn parse_status(raw :: String) -> IssueStatus!String do
  case String.downcase(raw) do
    "unresolved" | "open" -> Ok(Unresolved)
    "resolved" -> Ok(Resolved)
    "archived" | "ignored" -> Ok(Archived)
    "discarded" -> Ok(Discarded)
    other -> Err("unknown issue status: ${other}")
  end
end

pub fn severity(level :: String) -> Severity do
  case level do
    "fatal" -> 50
    "error" -> 40
    "warning" -> 30
    "info" -> 20
    "debug" -> 10
    _ -> 0
  end
end

## Status transitions allowed from the API. Discarded issues are final.
pub fn can_transition(from_status :: IssueStatus, to_status :: IssueStatus) -> Bool do
  case (from_status, to_status) do
    (Discarded, _) -> false
    (a, b) when a == b -> false
    (Archived, Resolved) -> false
    _ -> true
  end
end

interface Summarize do
  fn summary(self) -> String
  fn weight(self) -> Int
end

impl Summarize for Issue do
  fn summary(self) -> String do
    "[${String.upcase(self.level)}] ${self.title} (${self.event_count} events)"
  end

  fn weight(self) -> Int do
    severity(self.level) * self.event_count
  end
end

## Ranks issues by weight, heaviest first, keeping at most `limit`.
pub fn rank_issues<T>(issues :: List<T>, limit :: Int) -> List<T> where T: Summarize do
  issues
    |> List.sort_by(fn(i) -> 0 - weight(i) end)
    |> List.take(limit)
end

pub fn is_open(issue :: Issue) -> Bool = issue.status == "unresolved"

## Counts from old clients can be negative after an overflow; treat those as zero.
fn clamp_count(n) when n < 0 = 0
fn clamp_count(n) when n > 0xFFFFFFFF = 0xFFFFFFFF
fn clamp_count(n) = n

pub fn display_count(issue :: Issue) -> String do
  case clamp_count(issue.event_count) do
    0 -> "no events"
    1 -> "1 event"
    n when n >= 1_000_000 -> "${n / 1_000_000}M events"
    n -> "${n} events"
  end
end

interface Paged<T> do
  fn page_items(self) -> List<T>
  fn has_more(self) -> Bool
end

impl Paged<Issue> for IssuePage do
  fn page_items(self) -> List<Issue> do
    self.items
  end

  fn has_more(self) -> Bool do
    case self.next_cursor do
      Some(_) -> true
      None -> false
    end
  end
end

pub fn assignee_label(issue :: Issue) -> String do
  case issue.assigned_to do
    Some(email) -> email
    None -> "unassigned"
  end
end

pub fn to_summary_json(issue :: Issue) -> String do
  Json.encode(%{
    "id" => issue.id,
    "title" => issue.title,
    "level" => issue.level,
    "status" => issue.status,
    "count" => "${issue.event_count}",
    "assignee" => assignee_label(issue)
  })
end
