//! What an installed CLI offers besides its work: version, shell completions, the man page.

use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mesh-rewrite")).args(args).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn version_names_the_crate_and_the_grammar() {
    let o = run(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    let rest = text.strip_prefix(&format!("mesh-rewrite {} (grammar ", env!("CARGO_PKG_VERSION"))).expect(&text);
    let hash = rest.strip_suffix(")\n").expect(&text);
    assert_eq!(hash.len(), 12, "{text}");
    assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{text}");
    assert_eq!(hash, tree_sitter_mesh::GRAMMAR_HASH);
}

#[test]
fn completions_cover_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let o = run(&["completions", shell]);
        assert_eq!(o.status.code(), Some(0), "{shell}");
        let script = stdout(&o);
        for sub in ["parse", "rewrite", "simulate", "verdict", "completions"] {
            assert!(script.contains(sub), "{shell} completion lacks {sub}");
        }
        if ["bash", "zsh", "fish"].contains(&shell) {
            // (elvish and powershell completions list options, not their values)
            assert!(script.contains("node-local"), "{shell}: helper forms are completed");
        }
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2));
}

#[test]
fn the_man_page_is_generated_from_the_arguments() {
    let o = run(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    let page = stdout(&o);
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH mesh-rewrite 1"), "{}", &page[..200.min(page.len())]);
    for line in [".SH NAME", "mesh\\-rewrite \\- Parse Mesh and rewrite registry lookups to be cluster\\-aware", ".SH SUBCOMMANDS", "mesh\\-rewrite\\-verdict(1)"] {
        assert!(page.contains(line), "man page lacks {line:?}");
    }
}
