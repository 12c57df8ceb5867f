##! Alert rules, fired alerts and the channels that deliver them.

from Types.Project import Project

pub type Condition do
  EventRate(threshold :: Int, window_secs :: Int)
  NewIssue
  Regression
  LevelAtLeast(String)
end deriving(Eq, Json)

pub type Channel do
  Email(String)
  Webhook(url :: String, secret :: String)
  Room(String)
end deriving(Eq, Json)

pub struct AlertRule do
  table "alert_rules"
  primary_key :id
  timestamps true
  belongs_to :project, Project
  id :: String
  project_id :: String
  name :: String
  condition_kind :: String
  threshold :: Int
  window_secs :: Int
  channel :: String
  target :: String
  enabled :: Bool
  cooldown_secs :: Int
  last_fired :: String?
end deriving(Eq, Json)

pub struct Alert do
  table "alerts"
  primary_key :id
  timestamps true
  belongs_to :rule, AlertRule
  id :: String
  rule_id :: String
  project_id :: String
  status :: String
  message :: String
  fired_at :: String
end deriving(Eq, Json)

pub fn condition_of(rule :: AlertRule) -> Condition do
  case rule.condition_kind do
    "event_rate" -> EventRate(rule.threshold, rule.window_secs)
    "new_issue" -> NewIssue
    "regression" -> Regression
    level -> LevelAtLeast(level)
  end
end

pub fn channel_of(rule :: AlertRule) -> Channel do
  case rule.channel do
    "email" -> Email(rule.target)
    "webhook" -> Webhook(rule.target, Crypto.sha256(rule.id))
    _ -> Room(rule.target)
  end
end

pub fn describe(EventRate(n, w)) = "more than ${n} events in ${w}s"
pub fn describe(NewIssue) = "a new issue appears"
pub fn describe(Regression) = "a resolved issue regresses"
pub fn describe(LevelAtLeast(level)) = "an event at level ${level} or above"

interface Notify do
  fn deliver(self, message :: String) -> Bool!String
end

impl Notify for Channel do
  fn deliver(self, message :: String) -> Bool!String do
    case self do
      Email(address) -> Mail.send(address, "[mesher] alert", message)
      Webhook(url, secret) -> post_webhook(url, secret, message)
      Room(name) -> Ok(Ws.broadcast("alerts:${name}", message) >= 0)
    end
  end
end

fn post_webhook(url :: String, secret :: String, message :: String) -> Bool!String do
  let body = Json.encode(%{"text" => message})
  let signature = Crypto.hmac_sha256(secret, body)
  let response = HTTP.post(url, body, headers: %{"x-mesher-signature" => signature})?
  Ok(response.status < 300)
end

## True when the rule fired recently enough that it must stay quiet.
pub fn in_cooldown(rule :: AlertRule, now_secs :: Int) -> Bool do
  case rule.last_fired do
    Some(ts) -> now_secs - DateTime.to_unix(ts) < rule.cooldown_secs
    None -> false
  end
end
