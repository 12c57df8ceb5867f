//! The rewrite rule as data: the seed plan's values are the defaults; a TOML file or the page can change any.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which `get_registry` body the rewrite inserts into the helper file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HelperForm {
    /// The seed's helper, verbatim: local first, global fallback (does not compile: Pid compared with Int).
    #[default]
    Plan,
    /// Branches on `Node.self() != ""`: global lookup in cluster mode, local otherwise (compiles).
    NodeMode,
    /// `Rule::custom_helper`, as the user wrote it.
    Custom,
    /// `Process.whereis` behind one function: every node keeps its own registry, exactly as before.
    NodeLocal,
    /// In cluster mode, the node's *own* global name `"<registry>@<node>"`; standalone, the local lookup.
    NodeName,
}

impl HelperForm {
    /// Every form, in the order the page and the verdict list them. The serialized order above is
    /// kept for old links (new forms were added at the end).
    pub const ALL: [HelperForm; 5] =
        [HelperForm::Plan, HelperForm::NodeMode, HelperForm::NodeLocal, HelperForm::NodeName, HelperForm::Custom];

    /// The name used by the CLI, the config, the page and results (`node-local`).
    pub fn name(self) -> &'static str {
        match self {
            HelperForm::Plan => "plan",
            HelperForm::NodeMode => "node-mode",
            HelperForm::Custom => "custom",
            HelperForm::NodeLocal => "node-local",
            HelperForm::NodeName => "node-name",
        }
    }

    pub fn from_name(name: &str) -> Option<HelperForm> {
        HelperForm::ALL.into_iter().find(|f| f.name() == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rule {
    /// The name whose `Process.whereis` lookups are rewritten.
    pub registry_name: String,
    /// The helper function the lookups are rewritten to.
    pub helper_name: String,
    /// Path of the helper file, relative to the project root.
    pub helper_file: String,
    /// Files left untouched (relative paths).
    pub excluded_files: Vec<String>,
    /// Names whose lookups must stay node-local (checked, never rewritten).
    pub stay_local: Vec<String>,
    /// Expected number of replacements per file, checked in the report.
    pub expected_counts: BTreeMap<String, usize>,
    pub helper_form: HelperForm,
    /// The helper's full text for `HelperForm::Custom`.
    pub custom_helper: String,
}

impl Default for Rule {
    /// The seed plan (phase 94, plan 02).
    fn default() -> Rule {
        let counts = [
            ("ingestion/routes.mpl", 11),
            ("ingestion/ws_handler.mpl", 2),
            ("api/search.mpl", 4),
            ("api/dashboard.mpl", 6),
            ("api/detail.mpl", 1),
            ("api/team.mpl", 7),
            ("api/alerts.mpl", 7),
            ("api/settings.mpl", 3),
        ];
        Rule {
            registry_name: "mesher_registry".into(),
            helper_name: "get_registry".into(),
            helper_file: "api/helpers.mpl".into(),
            excluded_files: vec!["ingestion/pipeline.mpl".into()],
            stay_local: vec!["stream_manager".into()],
            expected_counts: counts.iter().map(|(p, n)| (p.to_string(), *n)).collect(),
            helper_form: HelperForm::Plan,
            custom_helper: String::new(),
        }
    }
}

impl Rule {
    /// The helper function's text (ending in a newline) for this rule's form, names substituted.
    pub fn helper_source(&self) -> String {
        let text = match self.helper_form {
            HelperForm::Plan => PLAN_HELPER,
            HelperForm::NodeMode => NODE_MODE_HELPER,
            HelperForm::NodeLocal => NODE_LOCAL_HELPER,
            HelperForm::NodeName => NODE_NAME_HELPER,
            HelperForm::Custom => return ensure_newline(&self.custom_helper),
        };
        text.replace("get_registry", &self.helper_name)
            .replace("mesher_registry", &self.registry_name)
    }

    /// The module name of the helper file (`api/helpers.mpl` → `Api.Helpers`).
    pub fn helper_module(&self) -> String {
        module_name(&self.helper_file)
    }
}

/// A file's module name from its path: each segment in PascalCase, extension dropped.
pub fn module_name(path: &str) -> String {
    let path = path.strip_suffix(".mpl").unwrap_or(path);
    path.split('/')
        .filter(|s| !s.is_empty())
        .map(|segment| {
            segment
                .split('_')
                .map(|word| {
                    let mut chars = word.chars();
                    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn ensure_newline(text: &str) -> String {
    if text.ends_with('\n') { text.to_owned() } else { format!("{text}\n") }
}

/// The seed's helper, verbatim (task 1 of the plan).
pub const PLAN_HELPER: &str = r#"# Cluster-aware registry lookup.
# Tries node-local Process.whereis first (zero overhead).
# Falls back to Global.whereis for cross-node discovery in cluster mode.
# In standalone mode, Process.whereis always succeeds (Global.whereis never called).
pub fn get_registry() do
  let local = Process.whereis("mesher_registry")
  if local != 0 do
    local
  else
    Global.whereis("mesher_registry")
  end
end
"#;

/// The form that compiles: a mode switch on `Node.self()` (MESH-RUNTIME.md, helper form 2).
pub const NODE_MODE_HELPER: &str = r#"# Cluster-aware registry lookup.
# In cluster mode (Node.self() is not ""), resolves the well-known global name;
# in standalone mode, the node-local registry.
pub fn get_registry() do
  if Node.self() != "" do
    Global.whereis("mesher_registry")
  else
    Process.whereis("mesher_registry")
  end
end
"#;

/// The node-local form: behaves exactly like today on every node (MESH-RUNTIME.md: a service call
/// must reach a registry on the caller's node), with the lookup in one place.
pub const NODE_LOCAL_HELPER: &str = r#"# Registry lookup, in one place for the whole app.
# A service call must reach a registry on the caller's own node: a call to a
# PID on another node crashes the caller. So every node keeps resolving its own
# registry, exactly as before. Change this one function when Mesh gets remote
# service calls.
pub fn get_registry() do
  Process.whereis("mesher_registry")
end
"#;

/// The node-name form: resolves the node's own registry through the global table when distributed
/// (the mesher app registers `"mesher_registry@<node>"` on every node, MESH-RUNTIME.md).
pub const NODE_NAME_HELPER: &str = r#"# Cluster-aware registry lookup that stays on this node.
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
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_names_follow_paths() {
        assert_eq!(module_name("api/helpers.mpl"), "Api.Helpers");
        assert_eq!(module_name("ingestion/ws_handler.mpl"), "Ingestion.WsHandler");
        assert_eq!(module_name("main.mpl"), "Main");
    }

    #[test]
    fn helper_names_are_substituted() {
        let rule = Rule { helper_name: "find_reg".into(), registry_name: "reg".into(), ..Rule::default() };
        let text = rule.helper_source();
        assert!(text.contains("pub fn find_reg() do\n"));
        assert!(text.contains("Global.whereis(\"reg\")"));
        assert_eq!(Rule::default().helper_source(), PLAN_HELPER);
    }
}
