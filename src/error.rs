//! The one error type of every front (the CLI, the preprocessor, `build`,
//! `preview`), and the exit code each error means.
//!
//! - `0`: the book was checked and no finding is an error (warnings allowed);
//! - `1`: findings were denied ([`Error::Findings`]);
//! - `2`: the book, its configuration or an input could not be read, or the
//!   output could not be written.
//!
//! `main` turns an `Error` into its exit code in one place. Errors that pass
//! through mdBook's driver come back as `anyhow::Error`; [`Error::exit_code_of`]
//! finds ours inside them.

use std::fmt;

/// Why a command did not succeed.
#[derive(Debug)]
pub enum Error {
    /// The book or an input could not be read or understood (exit 2).
    Input {
        message: String,
        help: Option<String>,
    },
    /// The book was checked and findings were denied (exit 1). The report
    /// has already been printed.
    Findings { errors: usize },
    /// The output could not be written (exit 2).
    Output(std::io::Error),
}

impl Error {
    /// An input error with no hint.
    pub fn input(message: impl Into<String>) -> Error {
        Error::Input {
            message: message.into(),
            help: None,
        }
    }

    /// An input error with a hint, shown as `= help: …`.
    pub fn input_with_help(message: impl Into<String>, help: impl Into<String>) -> Error {
        Error::Input {
            message: message.into(),
            help: Some(help.into()),
        }
    }

    /// The process exit code this error stands for.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Findings { .. } => 1,
            Error::Input { .. } | Error::Output(_) => 2,
        }
    }

    /// The exit code of an error that may have travelled through mdBook's
    /// driver (which wraps preprocessor errors in context): ours when one of
    /// ours is in the chain, otherwise `2` (mdBook could not build).
    pub fn exit_code_of(e: &anyhow::Error) -> u8 {
        e.chain()
            .find_map(|c| c.downcast_ref::<Error>())
            .map_or(2, Error::exit_code)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input { message, help } => {
                f.write_str(message)?;
                if let Some(help) = help {
                    write!(f, "\n  = help: {help}")?;
                }
                Ok(())
            }
            Error::Findings { errors } => write!(
                f,
                "mdbook-cavra found {} in the book; see the report above",
                if *errors == 1 {
                    "1 error".to_string()
                } else {
                    format!("{errors} errors")
                }
            ),
            Error::Output(e) => write!(f, "cannot write the output: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error::Output(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes() {
        assert_eq!(Error::input("x").exit_code(), 2);
        assert_eq!(Error::Findings { errors: 3 }.exit_code(), 1);
        let wrapped = anyhow::Error::new(Error::Findings { errors: 1 }).context("preprocessor");
        assert_eq!(Error::exit_code_of(&wrapped), 1);
        assert_eq!(Error::exit_code_of(&anyhow::anyhow!("mdBook failed")), 2);
    }

    #[test]
    fn help_is_shown_under_the_message() {
        let e = Error::input_with_help("cannot read book.toml", "pass the book's root");
        assert_eq!(
            e.to_string(),
            "cannot read book.toml\n  = help: pass the book's root"
        );
    }
}
