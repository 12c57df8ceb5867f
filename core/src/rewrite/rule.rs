//! The rewrite rule as data: the seed plan's values are the defaults; a TOML file or the page can change any.

use crate::project::check_path;
use super::choice::Selector;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

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
    /// Replacements the user chose not to make (`choice::Selector`s: `PATH`, `PATH:LINE`, `PATH:FUNCTION#N`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skip: Vec<String>,
    /// When not empty, the only replacements to make (selectors as in `skip`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
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
            expected_counts: crate::order::map(counts.iter().map(|(p, n)| (p.to_string(), *n))),
            helper_form: HelperForm::Plan,
            custom_helper: String::new(),
            skip: Vec::new(),
            only: Vec::new(),
        }
    }
}

impl Rule {
    /// Whether `expected_counts` measure a project whose files are `has`: counts of one's own
    /// always do; the default ones are the plan's, for the mesher app, and only when the project
    /// holds every file they name.
    pub fn counts_apply(&self, has: impl Fn(&str) -> bool) -> bool {
        self.expected_counts != Rule::default().expected_counts || self.expected_counts.keys().all(|p| has(p))
    }

    /// The rule as a `--config` file: what the page hands to the CLI so it does exactly what the page showed.
    pub fn to_config(&self) -> String {
        let body = toml::to_string(self).unwrap_or_else(|_| unreachable!("a rule is plain strings, lists and a map"));
        format!(
            "# mesh-rewrite config, written by mesh-rewrite {}\n\
             # mesh-rewrite rewrite --config mesh-rewrite.toml --write PROJECT_DIR\n\n{body}",
            crate::version()
        )
    }

    /// The helper function's text (ending in a newline) for this rule's form, names substituted.
    pub fn helper_source(&self) -> String {
        let text = match self.helper_form {
            HelperForm::Plan => PLAN_HELPER,
            HelperForm::NodeMode => NODE_MODE_HELPER,
            HelperForm::NodeLocal => NODE_LOCAL_HELPER,
            HelperForm::NodeName => NODE_NAME_HELPER,
            HelperForm::Custom => return ensure_newline(&self.custom_helper),
        };
        // One pass, so a helper name that contains `mesher_registry` is not substituted again.
        let names = [("get_registry", &self.helper_name), ("mesher_registry", &self.registry_name)];
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some((at, name, with)) =
            names.iter().filter_map(|(name, with)| rest.find(name).map(|at| (at, name, with))).min_by_key(|f| f.0)
        {
            out.push_str(&rest[..at]);
            out.push_str(with);
            rest = &rest[at + name.len()..];
        }
        out.push_str(rest);
        out
    }

    /// The module name of the helper file (`api/helpers.mpl` → `Api.Helpers`).
    pub fn helper_module(&self) -> String {
        module_name(&self.helper_file)
    }
}

/// A value of the rule that the rewrite cannot use, and why. The CLI prints `message`; the page
/// shows it next to `field` and keeps the previous value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// The rule's key: `helper_name`, `helper_file`, `registry_name`, `excluded_files`, `expected_counts`.
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RuleError {}

/// The keywords of Mesh (MESH-SYNTAX.md), including the reserved but unused ones.
pub const KEYWORDS: [&str; 48] = [
    "if", "else", "case", "match", "do", "end", "for", "in", "while", "break", "continue", "return", "when",
    "where", "fn", "def", "pub", "module", "import", "struct", "type", "interface", "impl", "trait", "actor",
    "service", "supervisor", "call", "cast", "receive", "after", "send", "spawn", "link", "monitor", "terminate",
    "self", "trap", "true", "false", "nil", "and", "or", "not", "let", "with", "cond", "alias",
];

/// A Mesh identifier as the grammar lexes one (`[\p{L}_][\p{L}\p{N}_]*`), with std's Unicode
/// classes: a regex with Unicode tables would add ~300 KB to the page's download for this one check.
pub fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_') && chars.all(|c| c.is_alphanumeric() || c == '_')
}

const IDENTIFIER_RULE: &str = "a letter or _, then letters, digits or _";

impl Rule {
    /// Every value the rewrite cannot use: names that would not parse in the generated code, and
    /// paths that would not stay inside the project. Checked before anything is read or written.
    pub fn validate(&self) -> Result<(), Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut err = |field, message| errors.push(RuleError { field, message });

        let name = &self.registry_name;
        if name.is_empty() {
            err("registry_name", "registry_name is empty".into());
        } else if let Some(what) = literal_breaker(name) {
            let message = format!("registry_name {name:?} has {what}, which would break the generated string literal");
            err("registry_name", message);
        }

        let name = &self.helper_name;
        if name.is_empty() {
            err("helper_name", format!("helper_name is empty; it must be a Mesh identifier ({IDENTIFIER_RULE})"));
        } else if KEYWORDS.contains(&name.as_str()) {
            err("helper_name", format!("helper_name {name:?} is a Mesh keyword"));
        } else if !is_identifier(name) {
            err("helper_name", format!("helper_name {name:?} is not a Mesh identifier ({IDENTIFIER_RULE})"));
        }

        let file = &self.helper_file;
        let stem = file.strip_suffix(".mpl").unwrap_or(file);
        if let Err(problem) = check_path(file) {
            err("helper_file", format!("helper_file {file:?} {problem}"));
        } else if !file.ends_with(".mpl") {
            err("helper_file", format!("helper_file {file:?} does not end in .mpl"));
        } else if file == "main.mpl" {
            let message = "helper_file \"main.mpl\" is the program's entry point, which has no module to import from";
            err("helper_file", message.into());
        } else if let Some(segment) = stem.split('/').find(|s| !is_identifier(&module_segment(s))) {
            let (gives, module) = (module_segment(segment), module_name(file));
            err(
                "helper_file",
                format!(
                    "helper_file {file:?} does not map to a Mesh module: {segment:?} gives {gives:?}, which is not an \
                     identifier (the import would read `from {module} import …`)"
                ),
            );
        }

        for path in &self.excluded_files {
            if let Err(problem) = check_path(path) {
                err("excluded_files", format!("excluded_files entry {path:?} {problem}"));
            }
        }
        for (field, list) in [("skip", &self.skip), ("only", &self.only)] {
            for selector in list {
                if let Err(problem) = Selector::parse(selector) {
                    err(field, format!("{field} entry {problem}"));
                }
            }
        }
        for path in self.expected_counts.keys() {
            if let Err(problem) = check_path(path) {
                err("expected_counts", format!("expected_counts key {path:?} {problem}"));
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// What in `name` would end or change the string literal it is written into, if anything.
fn literal_breaker(name: &str) -> Option<&'static str> {
    if name.contains('"') {
        Some("a quote (\")")
    } else if name.contains('\\') {
        Some("a backslash")
    } else if name.contains("${") {
        Some("an interpolation (${)")
    } else if name.chars().any(char::is_control) {
        Some("a line break or control character")
    } else {
        None
    }
}

/// One path segment's module name: `ws_handler` → `WsHandler`.
fn module_segment(segment: &str) -> String {
    segment
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
        })
        .collect()
}

/// A file's module name from its path: each segment in PascalCase, extension dropped.
pub fn module_name(path: &str) -> String {
    let path = path.strip_suffix(".mpl").unwrap_or(path);
    path.split('/').filter(|s| !s.is_empty()).map(module_segment).collect::<Vec<_>>().join(".")
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

    fn errors(rule: Rule) -> Vec<(&'static str, String)> {
        rule.validate().err().unwrap_or_default().into_iter().map(|e| (e.field, e.message)).collect()
    }

    #[test]
    fn the_seed_rule_is_valid() {
        assert_eq!(Rule::default().validate(), Ok(()));
        let unicode = Rule { helper_name: "hämta_register".into(), helper_file: "lib/ört_2/hjälp.mpl".into(), ..Rule::default() };
        assert_eq!(unicode.validate(), Ok(()));
    }

    #[test]
    fn helper_names_must_be_identifiers_that_are_not_keywords() {
        let rule = |name: &str| Rule { helper_name: name.into(), ..Rule::default() };
        let id = "a letter or _, then letters, digits or _";
        assert_eq!(errors(rule("get registry")), [("helper_name", format!("helper_name \"get registry\" is not a Mesh identifier ({id})"))]);
        assert_eq!(errors(rule("")), [("helper_name", format!("helper_name is empty; it must be a Mesh identifier ({id})"))]);
        assert_eq!(errors(rule("end")), [("helper_name", "helper_name \"end\" is a Mesh keyword".to_owned())]);
        assert_eq!(errors(rule("with")), [("helper_name", "helper_name \"with\" is a Mesh keyword".to_owned())]);
        assert_eq!(errors(rule("1abc")), [("helper_name", format!("helper_name \"1abc\" is not a Mesh identifier ({id})"))]);
        assert_eq!(errors(rule("a\nb")).len(), 1);
        // U+0301 (a combining mark) is alphabetic to Rust but not a letter to the grammar.
        assert_eq!(errors(rule("e\u{301}")).len(), 1);
        for ok in ["_", "_x1", "from", "get_registry2", "Ünï"] {
            assert_eq!(rule(ok).validate(), Ok(()), "{ok}");
        }
    }

    #[test]
    fn helper_files_must_be_modules_inside_the_project() {
        let rule = |file: &str| Rule { helper_file: file.into(), ..Rule::default() };
        assert_eq!(
            errors(rule("api/#=x.mpl")),
            [(
                "helper_file",
                "helper_file \"api/#=x.mpl\" does not map to a Mesh module: \"#=x\" gives \"#=x\", which is not an identifier \
                 (the import would read `from Api.#=x import …`)"
                    .to_owned()
            )]
        );
        assert_eq!(errors(rule("../x.mpl")), [("helper_file", "helper_file \"../x.mpl\" leaves the project (..)".to_owned())]);
        assert_eq!(
            errors(rule("/tmp/x.mpl")),
            [("helper_file", "helper_file \"/tmp/x.mpl\" is absolute; paths are relative to the project root".to_owned())]
        );
        assert_eq!(
            errors(rule("C:\\x.mpl")),
            [("helper_file", "helper_file \"C:\\\\x.mpl\" names a drive (like C:); paths are relative to the project root".to_owned())]
        );
        assert_eq!(errors(rule("api/helpers.txt")), [("helper_file", "helper_file \"api/helpers.txt\" does not end in .mpl".to_owned())]);
        assert_eq!(
            errors(rule("main.mpl")),
            [("helper_file", "helper_file \"main.mpl\" is the program's entry point, which has no module to import from".to_owned())]
        );
        assert_eq!(errors(rule("1api/helpers.mpl")).len(), 1);
        assert_eq!(errors(rule("api/_.mpl")).len(), 1, "`_` maps to an empty module segment");
        assert_eq!(errors(rule("api/ws-handler.mpl")).len(), 1);
        assert_eq!(rule("api/_private_x.mpl").validate(), Ok(()));
    }

    #[test]
    fn registry_names_must_fit_in_a_string_literal() {
        let rule = |name: &str| Rule { registry_name: name.into(), ..Rule::default() };
        let broken = |name: &str, what: &str| {
            vec![("registry_name", format!("registry_name {name:?} has {what}, which would break the generated string literal"))]
        };
        assert_eq!(errors(rule("")), [("registry_name", "registry_name is empty".to_owned())]);
        assert_eq!(errors(rule("a\"b")), broken("a\"b", "a quote (\")"));
        assert_eq!(errors(rule("a\\b")), broken("a\\b", "a backslash"));
        assert_eq!(errors(rule("a${b}")), broken("a${b}", "an interpolation (${)"));
        assert_eq!(errors(rule("a\nb")), broken("a\nb", "a line break or control character"));
        assert_eq!(errors(rule("a\rb")), broken("a\rb", "a line break or control character"));
        for ok in ["reg", "a$b", "with space", "réseau@node"] {
            assert_eq!(rule(ok).validate(), Ok(()), "{ok}");
        }
    }

    #[test]
    fn every_path_of_the_rule_stays_inside_the_project() {
        let mut rule = Rule { excluded_files: vec!["ok.mpl".into(), "/etc/passwd".into()], ..Rule::default() };
        rule.expected_counts.insert("../up.mpl".into(), 1);
        rule.expected_counts.insert("a//b.mpl".into(), 1);
        assert_eq!(
            errors(rule),
            [
                ("excluded_files", "excluded_files entry \"/etc/passwd\" is absolute; paths are relative to the project root".to_owned()),
                ("expected_counts", "expected_counts key \"../up.mpl\" leaves the project (..)".to_owned()),
                ("expected_counts", "expected_counts key \"a//b.mpl\" has an empty segment (// or a trailing /)".to_owned()),
            ]
        );
    }

    #[test]
    fn a_helper_name_holding_the_registry_name_is_substituted_once() {
        let rule = Rule { helper_name: "mesher_registry_pid".into(), registry_name: "reg".into(), ..Rule::default() };
        let text = rule.helper_source();
        assert!(text.contains("pub fn mesher_registry_pid() do\n"), "{text}");
        assert!(text.contains("Process.whereis(\"reg\")"), "{text}");
    }
}
