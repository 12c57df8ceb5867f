//! highlights.scm read into pattern trees, in the subset of tree-sitter's query language the file
//! uses: `(kind)`, `"token"`, `[ alternatives ]`, nesting with an optional `field:`, `@capture`,
//! `((…) @c (#match? @c "regex"))` and `;` comments. Anything else panics naming the pattern.

use super::regex_subset::Regex;
use std::num::NonZeroU16;
use tree_sitter::Language;

/// One node of a pattern: a tree node whose kind is one of `kinds`, reached through `field`,
/// whose direct children include matches for `children` in that order (not necessarily adjacent).
#[derive(Debug)]
pub struct PatternNode {
    pub kinds: Vec<u16>,
    pub field: Option<NonZeroU16>,
    pub children: Vec<PatternNode>,
    /// Index into [`Patterns::classes`].
    pub capture: Option<usize>,
    /// `#match?` on this node's text.
    pub text: Option<Regex>,
}

pub struct Patterns {
    /// In file order: for one node, the first that matches wins.
    pub roots: Vec<PatternNode>,
    /// Capture names, `&'static` so spans can carry them; leaked once per highlighter.
    pub classes: Vec<&'static str>,
}

impl Patterns {
    pub fn parse(source: &str, language: &Language) -> Patterns {
        let mut parser = Parser { source, tokens: tokenize(source), at: 0, start: 0, language, classes: Vec::new() };
        let mut roots = Vec::new();
        while parser.at < parser.tokens.len() {
            parser.start = parser.tokens[parser.at].0;
            let mut predicates = Vec::new();
            let mut root = parser.top(&mut predicates);
            for (capture, regex) in predicates {
                let node = find_capture(&mut root, capture).unwrap_or_else(|| parser.fail("#match? on an unknown capture"));
                node.text = Some(regex);
            }
            roots.push(root);
        }
        Patterns { roots, classes: parser.classes }
    }
}

fn find_capture(node: &mut PatternNode, capture: usize) -> Option<&mut PatternNode> {
    if node.capture == Some(capture) {
        return Some(node);
    }
    node.children.iter_mut().find_map(|child| find_capture(child, capture))
}

#[derive(Debug, PartialEq)]
enum Token<'a> {
    Open,
    Close,
    OpenAlt,
    CloseAlt,
    /// `name:`
    Field(&'a str),
    /// `@name`
    Capture(&'a str),
    /// `#name`
    Predicate(&'a str),
    /// `"text"` with escapes resolved.
    Str(String),
    Word(&'a str),
}

/// Tokens with their byte offsets.
fn tokenize(source: &str) -> Vec<(usize, Token<'_>)> {
    let bytes = source.as_bytes();
    let word_end = |from: usize| {
        from + source[from..].find(|c: char| !(c.is_alphanumeric() || "_.-?!".contains(c))).unwrap_or(source.len() - from)
    };
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let token = match bytes[i] {
            b';' => {
                i = source[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            c if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            b'(' => Token::Open,
            b')' => Token::Close,
            b'[' => Token::OpenAlt,
            b']' => Token::CloseAlt,
            b'"' => {
                let mut text = String::new();
                let mut chars = source[i + 1..].char_indices();
                loop {
                    match chars.next() {
                        Some((n, '"')) => break i += n + 1,
                        Some((_, '\\')) => match chars.next() {
                            Some((_, 'n')) => text.push('\n'),
                            Some((_, 't')) => text.push('\t'),
                            Some((_, c)) => text.push(c),
                            None => panic!("highlights.scm: unterminated string at byte {start}"),
                        },
                        Some((_, c)) => text.push(c),
                        None => panic!("highlights.scm: unterminated string at byte {start}"),
                    }
                }
                Token::Str(text)
            }
            b'@' | b'#' => {
                i = word_end(i + 1) - 1;
                let name = &source[start + 1..=i];
                if bytes[start] == b'@' { Token::Capture(name) } else { Token::Predicate(name) }
            }
            _ => {
                // An unknown character becomes a one-character word, which the parser rejects
                // naming the pattern.
                let end = word_end(i).max(i + source[i..].chars().next().map_or(1, char::len_utf8));
                i = end - 1;
                if bytes.get(end) == Some(&b':') {
                    i += 1;
                    Token::Field(&source[start..end])
                } else {
                    Token::Word(&source[start..end])
                }
            }
        };
        i += 1;
        tokens.push((start, token));
    }
    tokens
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<(usize, Token<'a>)>,
    at: usize,
    /// Byte offset of the pattern being read, for messages.
    start: usize,
    language: &'a Language,
    classes: Vec<&'static str>,
}

impl<'a> Parser<'a> {
    fn fail(&self, why: &str) -> ! {
        let rest = &self.source[self.start..];
        let end = rest.find("\n\n").or_else(|| rest.find("\n(")).unwrap_or(rest.len());
        panic!("highlights.scm: {why} in pattern `{}`", &rest[..end]);
    }

    fn peek(&self, ahead: usize) -> Option<&Token<'a>> {
        self.tokens.get(self.at + ahead).map(|(_, t)| t)
    }

    fn next(&mut self) -> &Token<'a> {
        self.at += 1;
        match self.tokens.get(self.at - 1) {
            Some((_, t)) => t,
            None => self.fail("unexpected end of file"),
        }
    }

    /// A top-level pattern, or a group `( pattern predicates… )` around exactly one.
    fn top(&mut self, predicates: &mut Vec<(usize, Regex)>) -> PatternNode {
        let is_group = self.peek(0) == Some(&Token::Open)
            && matches!(self.peek(1), Some(Token::Open | Token::OpenAlt | Token::Str(_)));
        if !is_group {
            return self.element(predicates);
        }
        self.next();
        let node = self.element(predicates);
        while self.peek(0) == Some(&Token::Open) && matches!(self.peek(1), Some(Token::Predicate(_))) {
            self.predicate(predicates);
        }
        if self.next() != &Token::Close {
            self.fail("a group holds one pattern and its predicates (sibling sequences are not supported)");
        }
        if matches!(self.peek(0), Some(Token::Capture(_))) {
            self.fail("a capture on a group");
        }
        node
    }

    /// `(kind children…)`, `"token"` or `[alternatives]`, with an optional field before and
    /// captures after.
    fn element(&mut self, predicates: &mut Vec<(usize, Regex)>) -> PatternNode {
        let field = match self.peek(0) {
            Some(&Token::Field(name)) => {
                self.next();
                let id = self.language.field_id_for_name(name);
                Some(id.unwrap_or_else(|| self.fail(&format!("unknown field `{name}`"))))
            }
            _ => None,
        };
        let mut node = match self.next() {
            Token::Str(text) => {
                let text = text.clone();
                PatternNode::leaf(vec![self.kind(&text, false)])
            }
            Token::Open => {
                let name = match self.next() {
                    &Token::Word(name) if name != "_" => name,
                    _ => self.fail("only `(kind …)` nodes are supported (no wildcards, anchors or groups here)"),
                };
                let mut node = PatternNode::leaf(vec![self.kind(name, true)]);
                loop {
                    match (self.peek(0), self.peek(1)) {
                        (Some(Token::Close), _) => break,
                        (Some(Token::Open), Some(Token::Predicate(_))) => self.predicate(predicates),
                        _ => node.children.push(self.element(predicates)),
                    }
                }
                self.next();
                node
            }
            Token::OpenAlt => {
                let mut kinds = Vec::new();
                while self.peek(0) != Some(&Token::CloseAlt) {
                    let alternative = self.element(predicates);
                    if alternative.field.is_some() || !alternative.children.is_empty() || alternative.capture.is_some() {
                        self.fail("alternatives must be plain `(kind)` or `\"token\"`");
                    }
                    kinds.extend(alternative.kinds);
                }
                self.next();
                PatternNode::leaf(kinds)
            }
            Token::Word(word) => {
                let word = word.to_string();
                self.fail(&format!("unsupported `{word}` (no anchors, quantifiers, wildcards or negated fields)"))
            }
            _ => self.fail("expected `(`, `[` or a string"),
        };
        node.field = field;
        self.captures(&mut node);
        node
    }

    fn captures(&mut self, node: &mut PatternNode) {
        while let Some(&Token::Capture(name)) = self.peek(0) {
            self.next();
            if node.capture.is_some() {
                self.fail("two captures on one node");
            }
            node.capture = Some(self.class(name));
        }
    }

    fn class(&mut self, name: &str) -> usize {
        self.classes.iter().position(|c| *c == name).unwrap_or_else(|| {
            self.classes.push(String::leak(name.to_owned()));
            self.classes.len() - 1
        })
    }

    /// `(#match? @capture "regex")`, the only predicate supported.
    fn predicate(&mut self, predicates: &mut Vec<(usize, Regex)>) {
        self.next();
        let at = self.at;
        let token = |n: usize| self.tokens.get(at + n).map(|(_, t)| t);
        let (Some(Token::Predicate("match?")), Some(Token::Capture(capture)), Some(Token::Str(regex)), Some(Token::Close)) =
            (token(0), token(1), token(2), token(3))
        else {
            self.fail("only `(#match? @capture \"regex\")` predicates are supported");
        };
        let (capture, regex) = (capture.to_string(), regex.clone());
        self.at += 4;
        let capture = self.classes.iter().position(|c| *c == capture);
        let capture = capture.unwrap_or_else(|| self.fail("#match? on an unknown capture"));
        let regex = Regex::new(&regex).unwrap_or_else(|why| self.fail(&format!("regex construct {why} not supported")));
        predicates.push((capture, regex));
    }

    fn kind(&self, name: &str, named: bool) -> u16 {
        match self.language.id_for_node_kind(name, named) {
            0 => self.fail(&format!("unknown node kind {name:?}")),
            id => id,
        }
    }
}

impl PatternNode {
    fn leaf(kinds: Vec<u16>) -> PatternNode {
        PatternNode { kinds, field: None, children: Vec::new(), capture: None, text: None }
    }
}
