//! The error type at the boundary between the core and the pipelines and their edges.
//!
//! Each variant says what kind of failure it is, so a caller can react to it (the page stops a run
//! on [`Error::Cancelled`] silently; the CLI explains [`Error::NotAtMinimum`]) without reading the
//! text. The messages are the sentences shown to users; `String::from(error)` gives them back to the
//! code that still passes errors as text. A parameter rule's refusal (`validate::Refusal`: field and
//! message) is what [`Error::Invalid`] carries (`parameter`, `reason`).

/// What went wrong in a run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The progress callback returned `false`.
    #[error("cancelled")]
    Cancelled,
    /// The configuration is not at an energy minimum where the analysis needs one; the message
    /// says how far it is and what to do.
    #[error("{0}")]
    NotAtMinimum(String),
    /// A parameter outside its allowed range (`parameter` is the CLI's flag name).
    #[error("{reason}")]
    Invalid {
        parameter: &'static str,
        reason: String,
    },
    /// A file could not be read or written.
    #[error("{path}: {reason}")]
    Io { path: String, reason: String },
    /// A numerical failure (a non-finite energy, a factorisation or eigensolver that failed, a
    /// memory limit), with its explanation.
    #[error("{0}")]
    Numerical(String),
}

impl From<String> for Error {
    fn from(message: String) -> Self {
        Error::Numerical(message)
    }
}

impl From<Error> for String {
    fn from(e: Error) -> Self {
        e.to_string()
    }
}

/// `Ok(())`, or [`Error::Cancelled`] when the progress callback said stop.
pub fn continue_or_cancel(go_on: bool) -> Result<(), Error> {
    if go_on {
        Ok(())
    } else {
        Err(Error::Cancelled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_the_sentences_users_saw_before() {
        assert_eq!(String::from(Error::Cancelled), "cancelled");
        let e = Error::Invalid {
            parameter: "n",
            reason: "N must be at least 2".into(),
        };
        assert_eq!(e.to_string(), "N must be at least 2");
        assert_eq!(
            Error::from("no spectrum".to_string()).to_string(),
            "no spectrum"
        );
    }
}
