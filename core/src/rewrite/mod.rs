//! Stage 2: the registry rewrite. The rule is data (`rule`); the engine applies it to a project.

pub mod rule;
