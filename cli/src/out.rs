//! Output shared by every subcommand: writing to stdout, and padding table cells.

use crate::exit;
use std::io::{self, Write as _};

/// Writes `text` to stdout and flushes it. A reader that went away (a closed pipe, as with
/// `| head -1`) ends the process quietly with exit 0, as other Unix tools end; any other write
/// error (a full disk) is returned for the caller to report and exit 2.
pub(crate) fn print_stdout(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => std::process::exit(exit::OK.into()),
        Err(e) => Err(format!("stdout: {e}")),
    }
}

/// Stderr as a `fmt::Write` sink, buffered: a report is written as it is formatted rather than
/// built whole first (megabytes for a large project). Like `eprint!`, it does not fail the command
/// when stderr is gone.
pub(crate) struct Stderr(io::BufWriter<io::StderrLock<'static>>);

impl Stderr {
    pub fn new() -> Stderr {
        Stderr(io::BufWriter::new(io::stderr().lock()))
    }
}

impl std::fmt::Write for Stderr {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let _ = self.0.write_all(s.as_bytes());
        Ok(())
    }
}

/// How a cell sits in its column.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Right,
}

/// Appends `cell` padded with spaces to `width` characters. Written out because `format!`'s
/// width (`{:<w$}`) panics from 65,536 on, and cells hold user names of any length.
pub(crate) fn pad(out: &mut String, cell: &str, width: usize, align: Align) {
    let fill = width.saturating_sub(cell.chars().count());
    if let Align::Right = align {
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out.push_str(cell);
    if let Align::Left = align {
        out.extend(std::iter::repeat_n(' ', fill));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_pad_to_any_width() {
        let mut out = String::new();
        pad(&mut out, "é", 3, Align::Left);
        pad(&mut out, "ab", 4, Align::Right);
        pad(&mut out, "long", 2, Align::Left);
        assert_eq!(out, "é    ablong");
        let mut wide = String::new();
        pad(&mut wide, "x", 70_000, Align::Right);
        assert_eq!((wide.len(), wide.ends_with(" x")), (70_000, true));
    }
}
