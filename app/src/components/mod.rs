//! The page's panels, one small component per module.

pub mod apply;
pub mod diagnostics;
pub mod diff_view;
pub mod downloads;
pub mod editor;
pub mod file_tree;
pub mod intake;
pub mod notices;
pub mod options;
pub mod report;
pub mod settings;
pub mod simulator;
pub mod share;
pub mod shortcuts;
pub mod timings;
pub mod toolbar;
pub mod tree_view;
pub mod verdict;
