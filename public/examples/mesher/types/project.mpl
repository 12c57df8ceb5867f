##! Organisations, projects, users, memberships, API keys and per-project settings.

pub struct Organization do
  table "organizations"
  primary_key :id
  timestamps true
  has_many :projects, Project
  id :: String
  name :: String
  slug :: String
end deriving(Eq, Json)

pub struct Project do
  table "projects"
  primary_key :id
  timestamps true
  belongs_to :organization, Organization
  has_one :settings, ProjectSettings
  has_many :members, Member
  id :: String
  organization_id :: String
  name :: String
  platform :: String
end deriving(Eq, Json)

pub struct User do
  table "users"
  primary_key :id
  timestamps true
  id :: String
  email :: String
  display_name :: String
end deriving(Eq, Json)

pub type Role do
  Owner
  Admin
  Developer
  Viewer
end deriving(Eq, Json)

pub struct Member do
  table "members"
  primary_key :id
  timestamps true
  belongs_to :project, Project
  belongs_to :user, User
  id :: String
  project_id :: String
  user_id :: String
  email :: String
  role :: String
end deriving(Eq, Json)

pub struct ApiKey do
  table "api_keys"
  primary_key :id
  timestamps true
  belongs_to :project, Project
  id :: String
  project_id :: String
  label :: String
  key_prefix :: String
  revoked :: Bool
end deriving(Eq, Json)

pub struct ProjectSettings do
  table "project_settings"
  primary_key :project_id
  timestamps false
  belongs_to :project, Project
  project_id :: String
  retention_days :: Int
  sample_rate :: Float
  rate_limit :: Int
  scrub_fields :: List<String>
end deriving(Eq, Json)

pub module Roles do
  pub fn parse("owner") = Some(Owner)
  pub fn parse("admin") = Some(Admin)
  pub fn parse("developer") = Some(Developer)
  pub fn parse("viewer") = Some(Viewer)
  pub fn parse(_) = None

  pub fn name(Owner) = "owner"
  pub fn name(Admin) = "admin"
  pub fn name(Developer) = "developer"
  pub fn name(Viewer) = "viewer"

  pub fn rank(role :: Role) -> Int do
    case role do
      Owner -> 40
      Admin -> 30
      Developer -> 20
      Viewer -> 10
    end
  end

  ## Only a strictly higher role may change or remove a member.
  pub fn can_manage(actor_role :: Role, target :: Role) -> Bool = rank(actor_role) > rank(target)
end

pub fn default_settings(project_id :: String) -> ProjectSettings do
  ProjectSettings {
    project_id: project_id,
    retention_days: 90,
    sample_rate: 1.0,
    rate_limit: 1_000,
    scrub_fields: ["password", "secret", "authorization", "cookie"]
  }
end

## Keys are shown once; afterwards only the prefix is kept for display.
pub fn mask_key(key :: ApiKey) -> String = "${key.key_prefix}${String.repeat("*", 24)}"
