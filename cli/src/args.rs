//! Argument types several subcommands share.

use mesh_rewrite::rewrite::rule::HelperForm;

/// `--helper-form`: the forms a user can pick by name (custom text comes from `--config`).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum FormArg {
    Plan,
    NodeMode,
    NodeLocal,
    NodeName,
}

impl From<FormArg> for HelperForm {
    fn from(form: FormArg) -> HelperForm {
        match form {
            FormArg::Plan => HelperForm::Plan,
            FormArg::NodeMode => HelperForm::NodeMode,
            FormArg::NodeLocal => HelperForm::NodeLocal,
            FormArg::NodeName => HelperForm::NodeName,
        }
    }
}

/// `--format` of `simulate` and `verdict`.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// `rewrite --format`: its report can also be one HTML file.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
    Html,
}
