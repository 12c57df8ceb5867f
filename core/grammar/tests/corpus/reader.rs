//! Corpus files in tree-sitter's format, read as tree-sitter-cli 0.27.1 reads them (src/test.rs:
//! `parse_test_content`, `parse_header`, `build_test_entry`):
//!
//! ```text
//! ==================      a line of 3 or more `=`
//! name                    one or more lines
//! :error                  optional attributes, one a line
//! ==================
//! input
//! ---                     the longest line of 3 or more `-` in the body (the last of equals)
//! (expected tree)
//! ```
//!
//! Of the attributes, `:skip` and `:error` are implemented; the others (`:cst`, `:language(…)`,
//! `:platform(…)`, `:fail-fast`) and delimiter suffixes (`===|x`) are refused, as are the mistakes
//! the CLI only warns about (an attribute-like line it would take as part of the name), so a
//! file never means something else here than there.

use super::sexp;

#[derive(Debug, PartialEq)]
pub struct Case {
    pub name: String,
    /// The header's first line (1-based), for reports.
    pub line: usize,
    pub input: String,
    pub expected: Expected,
}

#[derive(Debug, PartialEq)]
pub enum Expected {
    /// The tree's S-expression, normalised (`sexp::normalize`).
    Tree(String),
    /// `:error`: any tree with an ERROR or MISSING node; the expected tree is not compared.
    Error,
    /// `:skip`: not run.
    Skip,
}

/// What the CLI knows as attributes (its `known_attribute`).
const ATTRIBUTES: &[&str] = &[":skip", ":error", ":fail-fast", ":cst", ":platform", ":language"];

/// The cases of one corpus file, or why the file cannot be read as the CLI would.
pub fn read(text: &str) -> Result<Vec<Case>, String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    if let Some(line) = lines.iter().find(|l| delimiter(l, '=').is_some_and(|suffix| !suffix.is_empty())) {
        return Err(format!("delimiter suffixes are not supported: {:?}", line.trim_end()));
    }
    // (opening line, header, first body line), in order.
    let mut headers = Vec::new();
    let mut at = 0;
    while at < lines.len() {
        match header(&lines, at)? {
            Some((found, body)) => {
                headers.push((at, found, body));
                at = body;
            }
            None => at += 1,
        }
    }
    let ends: Vec<usize> = headers.iter().skip(1).map(|(open, ..)| *open).chain([lines.len()]).collect();
    headers
        .into_iter()
        .zip(ends)
        .map(|((open, (name, expected), body), end)| case(name, expected, open + 1, &lines[body..end]))
        .collect()
}

/// The text after a line's run of 3 or more `c`, if it has one.
fn delimiter(line: &str, c: char) -> Option<&str> {
    let rest = line.trim_start_matches(c);
    (line.len() - rest.len() >= 3).then(|| rest.trim_end_matches(['\r', '\n']))
}

fn is_delimiter(line: &str, c: char) -> bool {
    delimiter(line, c) == Some("")
}

/// A header's name and its attributes' expectation (none: compare the tree).
type Header = (String, Option<Expected>);

/// The header opening at `lines[open]`, and the line after it. `None` when `lines[open]` opens no
/// header (a blank line before any attribute: a `===` line in an input).
fn header(lines: &[&str], open: usize) -> Result<Option<(Header, usize)>, String> {
    if !is_delimiter(lines[open], '=') {
        return Ok(None);
    }
    let mut name = String::new();
    let (mut skip, mut error, mut attributes) = (false, false, false);
    for (at, line) in lines.iter().enumerate().skip(open + 1) {
        let refuse = |why: &str| Err(format!("line {}: {why}: {:?}", at + 1, line.trim()));
        if is_delimiter(line, '=') {
            let expected = match (skip, error) {
                (true, true) => return refuse("both `:skip` and `:error`"),
                (true, false) => Some(Expected::Skip),
                (false, true) => Some(Expected::Error),
                (false, false) => None,
            };
            return Ok(Some(((name.trim_end().to_string(), expected), at + 1)));
        }
        let trimmed = line.trim();
        match attribute(trimmed) {
            Some(":skip") => (skip, attributes) = (true, true),
            Some(":error") => (error, attributes) = (true, true),
            Some(_) => return refuse("attribute not supported by this runner"),
            None if attributes => {
                if !trimmed.is_empty() {
                    return refuse("not an attribute (after the attributes)");
                }
            }
            None if trimmed.is_empty() => return Ok(None),
            None => {
                let attribute_like = trimmed.split_whitespace().any(|t| attribute(t).is_some())
                    || (trimmed.starts_with(':') && !trimmed.contains(char::is_whitespace));
                if attribute_like {
                    return refuse("looks like an attribute, which the CLI would take as part of the name");
                }
                name.push_str(line);
            }
        }
    }
    Err(format!("line {}: a `===` header is never closed", open + 1))
}

/// `token`'s attribute (the part before any `(`), if it is one the CLI knows.
fn attribute(token: &str) -> Option<&str> {
    let head = token.split('(').next().unwrap_or(token);
    ATTRIBUTES.contains(&head).then_some(head)
}

/// A case from its header and its body (the lines up to the next header).
fn case(name: String, expected: Option<Expected>, line: usize, body: &[&str]) -> Result<Case, String> {
    let divider = body
        .iter()
        .enumerate()
        .filter(|(_, l)| is_delimiter(l, '-'))
        .max_by_key(|(_, l)| l.trim_end().len())
        .map(|(at, _)| at)
        .ok_or_else(|| format!("line {line}: `{name}` has no `---` line"))?;
    let mut input = body[..divider].concat();
    if input.ends_with('\n') {
        input.pop();
    }
    if input.ends_with('\r') {
        input.pop();
    }
    let expected = expected.unwrap_or_else(|| Expected::Tree(sexp::normalize(&body[divider + 1..].concat())));
    Ok(Case { name, line, input, expected })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
===
first
===

a - b
---

; fields are optional
(source_file
  (binary_expression left: (identifier) right: (identifier)))

=====================
a name
on two lines
:error
=====================
---
x(
------
(ERROR)

===
skipped
:skip

===
x
---
";

    #[test]
    fn reads_cases_as_the_cli_does() {
        let cases = read(FILE).unwrap();
        let want = [
            Case {
                name: "first".into(),
                line: 1,
                input: "\na - b".into(),
                expected: Expected::Tree(
                    "(source_file (binary_expression left: (identifier) right: (identifier)))".into(),
                ),
            },
            // The longest divider wins: the `---` before it is input.
            Case { name: "a name\non two lines".into(), line: 12, input: "---\nx(".into(), expected: Expected::Error },
            Case { name: "skipped".into(), line: 22, input: "x".into(), expected: Expected::Skip },
        ];
        assert_eq!(cases, want);
    }

    #[test]
    fn a_delimiter_line_with_a_blank_line_after_it_is_input() {
        let cases = read("===\nt\n===\nx\n===\n\ny\n---\n(a)\n").unwrap();
        assert_eq!(cases.len(), 1);
        assert_eq!(cases[0].input, "x\n===\n\ny");
    }

    #[test]
    fn refuses_what_it_does_not_implement_or_the_cli_only_warns_about() {
        for (text, why) in [
            ("===\nt\n:cst\n===\nx\n---\n(a)\n", "not supported"),
            ("===\nt\n:language(mesh)\n===\nx\n---\n(a)\n", "not supported"),
            ("===\nt\n:eror\n===\nx\n---\n(a)\n", "looks like an attribute"),
            ("===\nt :error\n===\nx\n---\n(a)\n", "looks like an attribute"),
            ("===\nt\n:error\nmore\n===\nx\n---\n(a)\n", "not an attribute"),
            ("===\nt\n:skip\n:error\n===\nx\n---\n(a)\n", "both"),
            ("===\nt\n===\nx\n(a)\n", "no `---` line"),
            ("===\nt\n", "never closed"),
            ("===|x\nt\n===|x\nx\n---|x\n(a)\n", "suffixes"),
        ] {
            let err = read(text).expect_err(text);
            assert!(err.contains(why), "{text:?}: {err}");
        }
    }
}
