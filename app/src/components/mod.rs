//! The page's panels, one small component per module.

pub mod diagnostics;
pub mod diff_view;
pub mod editor;
pub mod file_tree;
pub mod options;
pub mod report;
pub mod simulator;
pub mod timings;
pub mod tree_view;
