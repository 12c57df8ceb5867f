//! S-expressions as `tree-sitter test` compares them (tree-sitter-cli 0.27.1, src/test.rs:
//! `normalize_sexp_output`, `strip_sexp_fields`).

/// An expected tree as written in a corpus file, in `Node::to_sexp`'s spelling: `;` comment lines
/// dropped, one space between tokens, none before `)`, none at either end.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    for line in raw.lines().filter(|l| !l.trim_start().starts_with(';')) {
        for c in line.chars() {
            if c.is_whitespace() {
                if !space && !out.is_empty() {
                    out.push(' ');
                    space = true;
                }
            } else {
                if c == ')' && space {
                    out.pop();
                }
                out.push(c);
                space = false;
            }
        }
        // A line break separates tokens too.
        if !out.is_empty() && !space {
            out.push(' ');
            space = true;
        }
    }
    out.trim_end().to_string()
}

/// Whether an expected tree names fields; if not, the actual tree is compared without them.
pub fn has_fields(expected: &str) -> bool {
    expected.contains(": (")
}

/// `to_sexp` output without field names: ` name: (` becomes ` (`.
pub fn strip_fields(sexp: &str) -> String {
    let mut out = String::with_capacity(sexp.len());
    let mut rest = sexp;
    while let Some(colon) = rest.find(": (") {
        let field = rest[..colon].rfind(' ').filter(|&space| {
            let word = &rest[space + 1..colon];
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        match field {
            Some(space) => {
                out.push_str(&rest[..=space]);
                out.push('(');
            }
            None => out.push_str(&rest[..colon + 3]),
        }
        rest = &rest[colon + 3..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_ignores_layout_and_comment_lines() {
        let raw = "\n(source_file\n  ; a comment\n  (call\n    function: (identifier)\n    arguments: (arguments (MISSING \")\")) )  )\n\n";
        let want = "(source_file (call function: (identifier) arguments: (arguments (MISSING \")\"))))";
        assert_eq!(normalize(raw), want);
        assert!(has_fields(want));
        assert!(!has_fields("(source_file (ERROR (identifier)))"));
    }

    #[test]
    fn strip_fields_keeps_nodes_and_strings() {
        let sexp = "(call function: (identifier) arguments: (arguments (string content: (string_content))))";
        assert_eq!(strip_fields(sexp), "(call (identifier) (arguments (string (string_content))))");
        // Not a field: no word before the colon.
        assert_eq!(strip_fields("(MISSING \": (\")"), "(MISSING \": (\")");
    }
}
