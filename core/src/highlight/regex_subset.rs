//! The slice of regex syntax `#match?` uses in highlights.scm: `^`, `$`, literal characters,
//! character classes (`[A-Z0-9_]`, `[^a-z]`) and `+` / `*` after one of them. Small on purpose:
//! the `regex` crate and its Unicode tables would triple the page's wasm.

/// One position of the pattern: a set of characters, repeated `min..` times (`max` 1 unless starred).
#[derive(Debug)]
struct Item {
    ranges: Vec<(char, char)>,
    negated: bool,
    min: usize,
    many: bool,
}

#[derive(Debug)]
pub struct Regex {
    items: Vec<Item>,
    at_start: bool,
    at_end: bool,
}

impl Regex {
    /// `Err` names the construct outside the subset.
    pub fn new(source: &str) -> Result<Regex, String> {
        let mut chars = source.chars().peekable();
        let at_start = chars.next_if_eq(&'^').is_some();
        let (mut items, mut at_end) = (Vec::new(), false);
        while let Some(c) = chars.next() {
            let item = match c {
                '$' if chars.peek().is_none() => {
                    at_end = true;
                    break;
                }
                '[' => {
                    let negated = chars.next_if_eq(&'^').is_some();
                    let mut ranges = Vec::new();
                    loop {
                        let low = chars.next().ok_or("unclosed `[`")?;
                        if low == ']' && !ranges.is_empty() {
                            break;
                        }
                        if matches!(low, '\\' | '[') {
                            return Err(format!("`{low}` inside a class"));
                        }
                        let high = match chars.next_if_eq(&'-') {
                            Some(_) if chars.peek() != Some(&']') => chars.next().ok_or("unclosed `[`")?,
                            Some(_) => {
                                ranges.push(('-', '-'));
                                low
                            }
                            None => low,
                        };
                        ranges.push((low, high));
                    }
                    Item { ranges, negated, min: 1, many: false }
                }
                '+' | '*' | '?' | '.' | '(' | ')' | '|' | '{' | '}' | '\\' | '^' | '$' | ']' => {
                    return Err(format!("`{c}`"))
                }
                c => Item { ranges: vec![(c, c)], negated: false, min: 1, many: false },
            };
            items.push(item);
            if let Some(q) = chars.next_if(|q| matches!(q, '+' | '*')) {
                let last = items.last_mut().expect("just pushed");
                (last.min, last.many) = (usize::from(q == '+'), true);
            }
        }
        Ok(Regex { items, at_start, at_end })
    }

    /// Whether the pattern occurs in `text` (anywhere, unless anchored).
    pub fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let starts = if self.at_start { 0..=0 } else { 0..=chars.len() };
        starts.into_iter().any(|start| self.match_here(&self.items, &chars[start..]))
    }

    fn match_here(&self, items: &[Item], text: &[char]) -> bool {
        let Some((item, rest)) = items.split_first() else {
            return !self.at_end || text.is_empty();
        };
        let hits = |c: &char| item.ranges.iter().any(|(lo, hi)| (lo..=hi).contains(&c)) != item.negated;
        let run = text.iter().take_while(|c| hits(c)).count().min(if item.many { usize::MAX } else { 1 });
        // Greedy, backing off one character at a time.
        (item.min..=run).rev().any(|n| self.match_here(rest, &text[n..]))
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn is_match(pattern: &str, text: &str) -> bool {
        Regex::new(pattern).unwrap().is_match(text)
    }

    #[test]
    fn anchors_classes_and_repeats() {
        assert!(is_match("^[A-Z]", "Point"));
        assert!(!is_match("^[A-Z]", "point"));
        assert!(!is_match("^[A-Z]", ""));
        assert!(is_match("[A-Z]", "aB"));
        assert!(is_match("^[A-Z][A-Z0-9_]*$", "MAX_2"));
        assert!(!is_match("^[A-Z][A-Z0-9_]*$", "Max"));
        assert!(is_match("^[A-Z][A-Z0-9_]*$", "M"));
        assert!(is_match("^_+[a-z]$", "__x"));
        assert!(!is_match("^_+[a-z]$", "x"));
        assert!(is_match("^a*ab$", "aaab"));
        assert!(is_match("[^a-z]$", "ab1"));
        assert!(!is_match("[^a-z]$", "ab1c"));
        assert!(is_match("^[a-]+$", "a-a"));
        assert!(is_match("ok$", "is ok"));
        assert!(!is_match("ok$", "ok?"));
        assert!(is_match("^É+$", "ÉÉ"));
    }

    #[test]
    fn rejects_what_it_cannot_do() {
        for pattern in ["a.b", "(a)", "a|b", "a?", "a{2}", "\\d", "+a", "[a", "a$b", "[\\w]"] {
            assert!(Regex::new(pattern).is_err(), "{pattern} should be rejected");
        }
    }
}
