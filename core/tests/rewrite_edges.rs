//! Edge cases of the registry rewrite, each on a small project with exact expected text.

mod rewrite_common;

use mesh_rewrite::rewrite::report::{FileReport, FileStatus, HelperAction, ImportEdit, Severity};
use mesh_rewrite::rewrite::rule::{HelperForm, Rule, PLAN_HELPER};
use mesh_rewrite::rewrite::{assemble_with_unread, rewrite, rewrite_file, Outcome};
use rewrite_common::project;

fn run(files: &[(&str, &str)]) -> Outcome {
    rewrite(&project(files), &Rule::default())
}

fn text<'a>(outcome: &'a Outcome, path: &str) -> &'a str {
    &outcome.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path}")).text
}

fn file<'a>(outcome: &'a Outcome, path: &str) -> &'a FileReport {
    outcome.report.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no report for {path}"))
}

fn skipped(outcome: &Outcome, path: &str) -> Vec<(usize, usize, &'static str)> {
    file(outcome, path).skipped.iter().map(|s| (s.line, s.column, s.reason.as_str())).collect()
}

fn codes(outcome: &Outcome) -> Vec<(Severity, &str, usize, &str)> {
    outcome.report.diagnostics.iter().map(|d| (d.severity, d.path.as_str(), d.line, d.code.as_str())).collect()
}

const HELPERS: &str = "# Helpers.\n\npub fn ok() do\n  1\nend\n";

#[test]
fn crlf_files_keep_crlf_everywhere() {
    let handler = "from Types.Event import Event\r\n\r\npub fn handle(r :: Request) -> Response do\r\n  let reg_pid = Process.whereis(\"mesher_registry\")\r\n  reg_pid\r\nend\r\n";
    let helpers = "# Helpers.\r\n\r\npub fn ok() do\r\n  1\r\nend\r\n";
    let rule = Rule { expected_counts: [("api/a.mpl".to_owned(), 1)].into(), ..Rule::default() };
    let out = rewrite(&project(&[("api/a.mpl", handler), ("api/helpers.mpl", helpers)]), &rule);
    assert_eq!(
        text(&out, "api/a.mpl"),
        "from Types.Event import Event\r\nfrom Api.Helpers import get_registry\r\n\r\npub fn handle(r :: Request) -> Response do\r\n  let reg_pid = get_registry()\r\n  reg_pid\r\nend\r\n"
    );
    let expected_helpers =
        format!("# Helpers.\r\n\r\n{}\r\npub fn ok() do\r\n  1\r\nend\r\n", PLAN_HELPER.replace('\n', "\r\n"));
    assert_eq!(text(&out, "api/helpers.mpl"), expected_helpers);
    for f in &out.files {
        let bytes = f.text.as_bytes();
        assert!(bytes.iter().enumerate().all(|(i, &b)| b != b'\n' || (i > 0 && bytes[i - 1] == b'\r')), "{}", f.path);
    }
    let failed: Vec<_> = out.report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    assert_eq!(failed, ["no Pid compared with Int (compiles)"]);
}

#[test]
fn cr_only_files_keep_cr_everywhere() {
    // A lone `\r` is a Mesh newline: the import goes after the last import line, the helper after
    // the header comment, both ending in `\r`, and no `\n` appears.
    let handler = "from Types.Event import Event\r\rpub fn handle() do\r  let reg_pid = Process.whereis(\"mesher_registry\")\r  reg_pid\rend\r";
    let bare = "# No imports.\rpub fn other() do\r  Process.whereis(\"mesher_registry\")\rend";
    let helpers = "# Helpers.\r\rpub fn ok() do\r  1\rend\r";
    let out = run(&[("api/a.mpl", handler), ("api/b.mpl", bare), ("api/helpers.mpl", helpers)]);
    assert_eq!(
        text(&out, "api/a.mpl"),
        "from Types.Event import Event\rfrom Api.Helpers import get_registry\r\rpub fn handle() do\r  let reg_pid = get_registry()\r  reg_pid\rend\r"
    );
    assert_eq!(
        text(&out, "api/b.mpl"),
        "# No imports.\r\rfrom Api.Helpers import get_registry\r\rpub fn other() do\r  get_registry()\rend"
    );
    let expected_helpers = format!("# Helpers.\r\r{}\rpub fn ok() do\r  1\rend\r", PLAN_HELPER.replace('\n', "\r"));
    assert_eq!(text(&out, "api/helpers.mpl"), expected_helpers);
    assert!(out.files.iter().all(|f| !f.text.contains('\n')));
    assert_eq!(out.report.replacement_count(), 2);
}

#[test]
fn calls_split_over_lines_or_oddly_spaced_match() {
    let src = "fn f() do\n  let a = Process.whereis(\n    \"mesher_registry\"\n  )\n  let b = Process.whereis( \"mesher_registry\" )\n  a\nend\n";
    let out = run(&[("api/x.mpl", src), ("api/helpers.mpl", HELPERS)]);
    assert_eq!(
        text(&out, "api/x.mpl"),
        "from Api.Helpers import get_registry\n\nfn f() do\n  let a = get_registry()\n  let b = get_registry()\n  a\nend\n"
    );
    let r: Vec<_> = file(&out, "api/x.mpl").replacements.iter().map(|r| (r.line, r.column)).collect();
    assert_eq!(r, [(2, 11), (5, 11)]);
}

#[test]
fn comments_and_strings_are_skipped_but_interpolations_are_code() {
    let src = "# Process.whereis(\"mesher_registry\") used to live here\nfn f() do\n  let s = \"call Process.whereis(\\\"mesher_registry\\\") later\"\n  let t = \"pid: ${Process.whereis(\"mesher_registry\")}\"\n  s\nend\n";
    let out = run(&[("api/x.mpl", src), ("api/helpers.mpl", HELPERS)]);
    assert_eq!(
        text(&out, "api/x.mpl"),
        "# Process.whereis(\"mesher_registry\") used to live here\n\nfrom Api.Helpers import get_registry\n\nfn f() do\n  let s = \"call Process.whereis(\\\"mesher_registry\\\") later\"\n  let t = \"pid: ${get_registry()}\"\n  s\nend\n"
    );
    assert_eq!(skipped(&out, "api/x.mpl"), [(1, 3, "comment"), (3, 17, "string")]);
    let r: Vec<_> = file(&out, "api/x.mpl").replacements.iter().map(|r| (r.line, r.column)).collect();
    assert_eq!(r, [(4, 19)]);
    // The comment now describes a lookup the file no longer makes.
    assert!(codes(&out).contains(&(Severity::Warning, "api/x.mpl", 1, "stale-comment")), "{:?}", codes(&out));
}

#[test]
fn non_literal_arguments_are_reported_not_rewritten() {
    let src = "fn f(name :: String) do\n  Process.whereis(name)\nend\n";
    let out = run(&[("api/x.mpl", src), ("api/helpers.mpl", HELPERS)]);
    assert!(!out.changed());
    assert_eq!(skipped(&out, "api/x.mpl"), [(2, 3, "non-literal argument")]);
    assert_eq!(file(&out, "api/x.mpl").status, FileStatus::Unchanged);
    assert_eq!(out.report.helper.action, HelperAction::None);
}

#[test]
fn a_missing_helper_file_is_created() {
    let src = "fn f() do\n  Process.whereis(\"mesher_registry\")\nend\n";
    let out = run(&[("ingestion/routes.mpl", src)]);
    assert_eq!(out.report.helper.action, HelperAction::Created);
    let created = out.files.iter().find(|f| f.path == "api/helpers.mpl").unwrap();
    assert_eq!(created.original, None);
    assert_eq!(created.text, PLAN_HELPER);
    assert_eq!(file(&out, "api/helpers.mpl").status, FileStatus::Created);
    assert_eq!(
        created.patch(),
        "diff --git a/api/helpers.mpl b/api/helpers.mpl\nnew file mode 100644\n--- /dev/null\n+++ b/api/helpers.mpl\n\
         @@ -0,0 +1,12 @@\n\
         +# Cluster-aware registry lookup.\n\
         +# Tries node-local Process.whereis first (zero overhead).\n\
         +# Falls back to Global.whereis for cross-node discovery in cluster mode.\n\
         +# In standalone mode, Process.whereis always succeeds (Global.whereis never called).\n\
         +pub fn get_registry() do\n\
         +  let local = Process.whereis(\"mesher_registry\")\n\
         +  if local != 0 do\n\
         +    local\n\
         +  else\n\
         +    Global.whereis(\"mesher_registry\")\n\
         +  end\n\
         +end\n"
    );
    assert!(out.patch().contains("diff --git a/ingestion/routes.mpl b/ingestion/routes.mpl\n"));
}

#[test]
fn a_helper_file_that_was_not_read_is_never_created_over() {
    let src = "fn f() do\n  Process.whereis(\"mesher_registry\")\nend\n";
    let files = vec![rewrite_file("api/x.mpl", src, &Rule::default())];
    let out = assemble_with_unread(files, &Rule::default(), &["api/helpers.mpl".to_owned()]);
    assert_eq!(out.report.helper.action, HelperAction::Unread);
    assert_eq!(out.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(), ["api/x.mpl"]);
    assert!(out.report.to_text().contains("helper api/helpers.mpl: not inserted (the file was not read; see its diagnostic)\n"));
    // Another unread file does not stop the helper from being created.
    let files = vec![rewrite_file("api/x.mpl", src, &Rule::default())];
    let out = assemble_with_unread(files, &Rule::default(), &["api/other.mpl".to_owned()]);
    assert_eq!(out.report.helper.action, HelperAction::Created);
}

#[test]
fn an_empty_helper_file_gets_just_the_helper() {
    let src = "fn f() do\n  Process.whereis(\"mesher_registry\")\nend\n";
    let rule = Rule { helper_form: HelperForm::NodeMode, ..Rule::default() };
    let out = rewrite(&project(&[("api/x.mpl", src), ("api/helpers.mpl", "")]), &rule);
    assert_eq!(
        text(&out, "api/helpers.mpl"),
        "# Cluster-aware registry lookup.\n\
         # In cluster mode (Node.self() is not \"\"), resolves the well-known global name;\n\
         # in standalone mode, the node-local registry.\n\
         pub fn get_registry() do\n\
         \x20 if Node.self() != \"\" do\n\
         \x20   Global.whereis(\"mesher_registry\")\n\
         \x20 else\n\
         \x20   Process.whereis(\"mesher_registry\")\n\
         \x20 end\n\
         end\n"
    );
    assert_eq!(out.report.helper.action, HelperAction::Inserted);
}

#[test]
fn files_with_syntax_errors_are_left_alone_and_reported() {
    let bad = "fn f() do\n  let r = Process.whereis(\"mesher_registry\")\n  let x = (1\nend\n";
    let good = "fn g() do\n  Process.whereis(\"mesher_registry\")\nend\n";
    let out = run(&[("api/bad.mpl", bad), ("api/good.mpl", good), ("api/helpers.mpl", HELPERS)]);
    assert_eq!(text(&out, "api/bad.mpl"), bad);
    assert_eq!(file(&out, "api/bad.mpl").status, FileStatus::Blocked);
    assert_eq!(skipped(&out, "api/bad.mpl"), [(2, 11, "syntax error")]);
    assert!(out.report.blocked());
    assert_eq!(file(&out, "api/good.mpl").status, FileStatus::Modified);
    let syntax: Vec<_> = out
        .report
        .diagnostics
        .iter()
        .filter(|d| d.code == "syntax-error")
        .map(|d| (d.severity, d.path.as_str(), d.line, d.column, d.message.as_str()))
        .collect();
    assert_eq!(syntax, [(Severity::Error, "api/bad.mpl", 3, 11, "missing `)` to close this `(`; the file was not rewritten")]);
    let failed: Vec<_> = out.report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
    assert_eq!(
        failed,
        [
            "registry lookup left only in excluded files and the helper",
            "helper called in every file that had lookups",
            "no Pid compared with Int (compiles)",
        ]
    );
    // The plan's counts are the mesher app's: a project without its files is not measured by them.
    let counts = out.report.checks.iter().find(|c| c.name == "replacement counts match the plan").unwrap();
    assert_eq!(
        counts.detail,
        "the plan's counts are the mesher app's, whose files this project does not hold; \
         set expected_counts in the config to check counts of your own"
    );
}

const CALL: &str = "fn f() do\n  Process.whereis(\"mesher_registry\")\nend\n";

fn rewritten(src: &str) -> (String, ImportEdit) {
    let out = run(&[("api/x.mpl", src), ("api/helpers.mpl", HELPERS)]);
    (text(&out, "api/x.mpl").to_owned(), file(&out, "api/x.mpl").import_edit)
}

#[test]
fn an_existing_helper_import_is_extended_in_place() {
    let src = format!("from Api.Helpers import require_param, json_ok\nfrom Types.Event import Event\n\n{CALL}");
    let (out, edit) = rewritten(&src);
    assert_eq!(edit, ImportEdit::Merged);
    assert_eq!(
        out,
        "from Api.Helpers import require_param, json_ok, get_registry\nfrom Types.Event import Event\n\nfn f() do\n  get_registry()\nend\n"
    );
}

#[test]
fn an_import_already_listing_the_helper_is_kept() {
    let src = format!("from Api.Helpers import get_registry, json_ok\n\n{CALL}");
    let (out, edit) = rewritten(&src);
    assert_eq!(edit, ImportEdit::None);
    assert_eq!(out, "from Api.Helpers import get_registry, json_ok\n\nfn f() do\n  get_registry()\nend\n");
}

#[test]
fn a_new_import_goes_after_the_last_import_line() {
    let src = format!("##! Doc.\nimport Types.Alert\nfrom Types.Event import Event  # events\n\n{CALL}");
    let (out, edit) = rewritten(&src);
    assert_eq!(edit, ImportEdit::Added);
    assert_eq!(
        out,
        "##! Doc.\nimport Types.Alert\nfrom Types.Event import Event  # events\nfrom Api.Helpers import get_registry\n\nfn f() do\n  get_registry()\nend\n"
    );
}

#[test]
fn without_imports_the_import_goes_after_the_leading_comment_block() {
    let src = format!("##! Module doc.\n##! More.\n\n## Doc of f.\n{CALL}");
    let (out, edit) = rewritten(&src);
    assert_eq!(edit, ImportEdit::Added);
    assert_eq!(
        out,
        "##! Module doc.\n##! More.\n\nfrom Api.Helpers import get_registry\n\n## Doc of f.\nfn f() do\n  get_registry()\nend\n"
    );
    let (out, _) = rewritten(CALL);
    assert_eq!(out, "from Api.Helpers import get_registry\n\nfn f() do\n  get_registry()\nend\n");
}

#[test]
fn a_present_helper_is_kept_and_its_body_never_rewritten() {
    let helpers = "# Helpers.\n\npub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend\n\npub fn pool() do\n  PipelineRegistry.get_pool(Process.whereis(\"mesher_registry\"))\nend\n";
    let out = run(&[("api/helpers.mpl", helpers), ("api/x.mpl", CALL)]);
    assert_eq!(out.report.helper.action, HelperAction::Present);
    // The module never imports itself; the helper's own lookup stays.
    assert_eq!(
        text(&out, "api/helpers.mpl"),
        "# Helpers.\n\npub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend\n\npub fn pool() do\n  PipelineRegistry.get_pool(get_registry())\nend\n"
    );
    assert_eq!(file(&out, "api/helpers.mpl").import_edit, ImportEdit::None);
    assert_eq!(skipped(&out, "api/helpers.mpl"), [(4, 3, "helper body")]);
    assert_eq!(file(&out, "api/x.mpl").replacements.len(), 1);
}

#[test]
fn excluded_files_are_untouched() {
    let out = run(&[("ingestion/pipeline.mpl", CALL), ("api/helpers.mpl", HELPERS)]);
    assert!(!out.changed());
    assert_eq!(skipped(&out, "ingestion/pipeline.mpl"), [(2, 3, "excluded file")]);
}

#[test]
fn functions_actors_and_service_handlers_name_the_replacement() {
    let src = "let top = Process.whereis(\"mesher_registry\")\n\nactor worker(n :: Int) do\n  let r = Process.whereis(\"mesher_registry\")\n  receive do\n    x -> worker(n)\n  end\nend\n\nservice Reg do\n  fn init(x :: Int) -> Int do x end\n  call Get() :: Int do |s|\n    let r = Process.whereis(\"mesher_registry\")\n    (s, s)\n  end\nend\n";
    let out = run(&[("api/x.mpl", src), ("api/helpers.mpl", HELPERS)]);
    let names: Vec<_> = file(&out, "api/x.mpl").replacements.iter().map(|r| r.function.as_deref()).collect();
    assert_eq!(names, [None, Some("worker"), Some("Get")]);
}

#[test]
fn pid_compared_with_int_is_an_error_anywhere() {
    let src = "fn f() do\n  let p = Global.whereis(\"x\")\n  if p == 0 do 1 else 2 end\nend\n\nfn g() do\n  0 != Process.whereis(\"y\")\nend\n\nfn h(p :: Int) do\n  p == 0\nend\n";
    let out = run(&[("api/x.mpl", src)]);
    let errors: Vec<_> = out.report.diagnostics.iter().map(|d| (d.line, d.column, d.code.as_str())).collect();
    assert_eq!(errors, [(3, 6, "E0001"), (7, 3, "E0001")]);
}

/// A name bound to a lookup is followed to the end of its definition, whether the scan searches
/// for it (a few names) or walks the rest whole (more than eight), and not into the next one.
#[test]
fn pid_names_are_followed_however_many_a_definition_binds() {
    for names in [1, 8, 9, 12] {
        let lets: String = (0..names).map(|i| format!("  let p{i} = Global.whereis(\"x\")\n")).collect();
        let first = names + 2;
        let src = format!(
            "fn f() do\n{lets}  if p0 == 0 do 1 else 2 end\n  [1, 2]\n  if 0 != p{} do 1 else 2 end\nend\n\nfn g(p0 :: Int) do\n  p0 == 0\nend\n",
            names - 1
        );
        let out = run(&[("api/x.mpl", src.as_str())]);
        let errors: Vec<_> = out.report.diagnostics.iter().map(|d| (d.line, d.column, d.code.as_str())).collect();
        assert_eq!(errors, [(first, 6, "E0001"), (first + 2, 6, "E0001")], "{names} names");
    }
}

#[test]
fn stay_local_lookups_are_kept_and_noted() {
    let src = "# StreamManager stays local: Process.whereis(\"stream_manager\").\nfn f() do\n  let sm = Process.whereis(\"stream_manager\")\n  let reg = Process.whereis(\"mesher_registry\")\n  sm\nend\n";
    let out = run(&[("ingestion/ws.mpl", src), ("api/helpers.mpl", HELPERS)]);
    assert!(text(&out, "ingestion/ws.mpl").contains("let sm = Process.whereis(\"stream_manager\")\n  let reg = get_registry()\n"));
    // A comment about the stay-local lookup is not stale.
    // Diagnostics point into the rewritten files (the import moved the lookup down a few lines).
    assert_eq!(
        codes(&out),
        [(Severity::Error, "api/helpers.mpl", 9, "E0001"), (Severity::Info, "ingestion/ws.mpl", 6, "stay-local")]
    );
}

#[test]
fn a_custom_helper_is_inserted_as_written() {
    let custom = "pub fn get_registry() do\n  Process.whereis(\"mesher_registry\")\nend";
    let rule = Rule {
        helper_form: HelperForm::Custom,
        custom_helper: custom.into(),
        expected_counts: [("api/x.mpl".to_owned(), 1)].into(),
        ..Rule::default()
    };
    let out = rewrite(&project(&[("api/helpers.mpl", HELPERS), ("api/x.mpl", CALL)]), &rule);
    assert_eq!(text(&out, "api/helpers.mpl"), format!("# Helpers.\n\n{custom}\n\npub fn ok() do\n  1\nend\n"));
    assert!(out.report.checks.iter().all(|c| c.passed), "{:#?}", out.report.checks);
}

#[test]
fn other_names_and_unrelated_calls_are_ignored() {
    let src = "fn f() do\n  Process.whereis(\"other\")\n  Global.whereis(\"mesher_registry\")\n  Process.register(\"mesher_registry\", self())\nend\n";
    let out = run(&[("api/x.mpl", src), ("api/helpers.mpl", HELPERS)]);
    assert!(!out.changed());
    assert!(file(&out, "api/x.mpl").skipped.is_empty());
}

#[test]
fn files_that_never_spell_the_lookup_are_not_parsed() {
    // Both files have a syntax error; only the one that mentions the registry is read by the rewrite.
    let unrelated = "pub fn f() do\n  1 +\nend\n";
    let related = "# uses mesher_registry\npub fn f() do\n  1 +\nend\n";
    let out = run(&[("api/a.mpl", unrelated), ("api/b.mpl", related), ("api/helpers.mpl", HELPERS)]);
    let errors: Vec<_> = codes(&out).into_iter().filter(|c| c.3 == "syntax-error").map(|c| c.1).collect();
    assert_eq!(errors, ["api/b.mpl"]);
    assert_eq!(text(&out, "api/a.mpl"), unrelated);
    assert!(!out.changed());
}

/// The page rewrites a file being typed in with `rewrite_into`, reparsing the new text against
/// the previous rewritten text; each step must give exactly what a rewrite from scratch gives:
/// the text, the report and the checks (which read the new text's scan).
#[test]
fn rewriting_into_the_last_rewritten_document_equals_a_rewrite_from_scratch() {
    use mesh_rewrite::parse::Document;
    use mesh_rewrite::rewrite::{assemble, rewrite_into, rewrite_parsed};
    let rule = Rule::default();
    let path = "api/team.mpl";
    let mut text = include_str!("../../public/examples/mesher/api/team.mpl").to_owned();
    let lookup = "Process.whereis(\"mesher_registry\")";
    let first = text.find(lookup).expect("the example looks the registry up");
    let line_end = first + text[first..].find('\n').unwrap() + 1;
    // Typing in a string, a half-typed token (a syntax error), its removal, a new lookup line,
    // a lookup removed, and back to the original text.
    type Step = Box<dyn Fn(&str) -> String>;
    let steps: Vec<Step> = vec![
        Box::new(|t| t.replacen("\"mesher_registry\")", "\"mesher_registry\") ", 1)),
        Box::new(move |t| format!("{}x{}", &t[..first], &t[first..])),
        Box::new(move |t| format!("{}{}", &t[..first], &t[first + 1..])),
        Box::new(move |t| format!("{}  let again = {lookup}\n{}", &t[..line_end], &t[line_end..])),
        Box::new(move |t| t.replacen(lookup, "registry_pid", 1)),
        Box::new(|_| include_str!("../../public/examples/mesher/api/team.mpl").to_owned()),
    ];
    let mut doc = Document::new(&text);
    let mut rewritten = Document::new("");
    for (n, step) in steps.iter().enumerate() {
        text = step(&text);
        doc.set_text(&text);
        let into = assemble(vec![rewrite_into(path, doc.parsed(), &rule, &mut rewritten)], &rule);
        let fresh = assemble(vec![rewrite_parsed(path, doc.parsed(), &rule)], &rule);
        assert_eq!(into.files, fresh.files, "step {n}: texts");
        assert_eq!(into.report, fresh.report, "step {n}: report");
        if !doc.parsed().has_errors() {
            assert_eq!(rewritten.parsed().source(), self::text(&fresh, path), "step {n}: the document follows");
        }
    }
}
