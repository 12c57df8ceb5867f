//! Which replacements the user chose: selectors over the lookups the rule would replace.
//!
//! A selector is `PATH` (every replacement in the file, or in every file under the folder), `PATH:LINE` (those on a line of the original
//! file) or `PATH:FUNCTION#N` (the Nth lookup of the registry inside FUNCTION, `PATH:#N` at the top
//! level). The page writes the last form: it names a replacement by what it is, not by where it is,
//! so a choice survives edits elsewhere in the file. The CLI's `--skip`/`--only` and the config's
//! `skip`/`only` lists take all three.

use super::rule::is_identifier;
use crate::project::check_path;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    File(String),
    Line(String, usize),
    /// The lookup's enclosing function ("" at the top level) and its 1-based ordinal there.
    Call(String, String, usize),
}

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let selector = match text.rsplit_once(':') {
            Some((path, line)) if !line.is_empty() && line.bytes().all(|b| b.is_ascii_digit()) => {
                match line.parse::<usize>() {
                    Ok(n) if n > 0 => Selector::Line(path.to_owned(), n),
                    _ => return Err(format!("{text:?}: line {line} is not a line number (lines start at 1)")),
                }
            }
            Some((path, call)) if call.contains('#') => {
                let (function, n) = call.rsplit_once('#').expect("contains #");
                let digits = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
                let ordinal = n.parse::<usize>().ok().filter(|&n| digits && n > 0);
                match ordinal {
                    Some(n) if function.is_empty() || is_identifier(function) => {
                        Selector::Call(path.to_owned(), function.to_owned(), n)
                    }
                    _ => {
                        return Err(format!(
                            "{text:?} is not PATH, PATH:LINE or PATH:FUNCTION#N (N counts the function's lookups from 1)"
                        ))
                    }
                }
            }
            _ => Selector::File(text.to_owned()),
        };
        check_path(selector.path()).map_err(|problem| format!("{text:?}: path {:?} {problem}", selector.path()))?;
        Ok(selector)
    }

    pub fn path(&self) -> &str {
        match self {
            Selector::File(p) | Selector::Line(p, _) | Selector::Call(p, _, _) => p,
        }
    }

    /// The selector naming one replacement the way the page does.
    pub fn call(path: &str, function: Option<&str>, ordinal: usize) -> Selector {
        Selector::Call(path.to_owned(), function.unwrap_or_default().to_owned(), ordinal)
    }

    /// Whether the selector may name lookups of the file at `path`.
    fn names(&self, path: &str) -> bool {
        match self {
            // A folder selects every file under it.
            Selector::File(p) => path.strip_prefix(p.as_str()).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')),
            Selector::Line(p, _) | Selector::Call(p, _, _) => p == path,
        }
    }

    /// Whether the selector, one that `names` the lookup's file, names the lookup.
    fn matches(&self, line: usize, function: Option<&str>, ordinal: usize) -> bool {
        match self {
            Selector::File(_) => true,
            Selector::Line(_, l) => *l == line,
            Selector::Call(_, f, n) => f == function.unwrap_or_default() && *n == ordinal,
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Selector::File(p) => write!(f, "{p}"),
            Selector::Line(p, l) => write!(f, "{p}:{l}"),
            Selector::Call(p, function, n) => write!(f, "{p}:{function}#{n}"),
        }
    }
}

/// The selectors of the rule's `skip` and `only` lists that name one file.
pub(crate) struct Choices {
    skip: Vec<Selector>,
    /// None without an `only` list; with one, its selectors that name this file (maybe none).
    only: Option<Vec<Selector>>,
}

impl Choices {
    /// The rule was validated, so every selector parses.
    pub fn for_file(skip: &[String], only: &[String], path: &str) -> Choices {
        let parse = |list: &[String]| -> Vec<Selector> {
            list.iter().filter_map(|s| Selector::parse(s).ok()).filter(|s| s.names(path)).collect()
        };
        Choices { skip: parse(skip), only: (!only.is_empty()).then(|| parse(only)) }
    }

    /// Whether the user chose to keep this lookup of the file as it is.
    pub fn skips(&self, line: usize, function: Option<&str>, ordinal: usize) -> bool {
        let hit = |s: &Selector| s.matches(line, function, ordinal);
        self.skip.iter().any(hit) || self.only.as_ref().is_some_and(|only| !only.iter().any(hit))
    }
}
