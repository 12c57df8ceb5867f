//! The page's panels, one small component per module.

pub mod diagnostics;
pub mod editor;
pub mod simulator;
pub mod tree_view;
