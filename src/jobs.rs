//! One import at a time: a file that comes while another is being read is refused (and the user
//! told so), and every answer of the import worker carries the number of the import it belongs
//! to, so an answer of an earlier import is never applied to a later file. Pure, tested natively;
//! the controller (`ui::controller`) applies it.

/// A file that was not opened because another import was running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file being imported.
    pub running: String,
    /// The file that was not opened.
    pub refused: String,
}

/// Whether a new file may be opened: `running` names the file the worker is busy with, if any.
pub fn admit(running: Option<&str>, file_name: &str) -> Result<(), Refusal> {
    match running {
        Some(running) => Err(Refusal {
            running: running.to_string(),
            refused: file_name.to_string(),
        }),
        None => Ok(()),
    }
}

/// An answer of the import worker with the number of the import (generation) that asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamped<T> {
    /// The import the answer belongs to.
    pub generation: u64,
    /// The answer.
    pub message: T,
}

impl<T> Stamped<T> {
    /// The answer, when it belongs to the `current` import; `None` for an earlier one's.
    pub fn for_current(self, current: u64) -> Option<T> {
        (self.generation == current).then_some(self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_refused_while_another_is_read() {
        assert_eq!(admit(None, "a.csv"), Ok(()));
        assert_eq!(
            admit(Some("big.csv"), "small.csv"),
            Err(Refusal {
                running: "big.csv".into(),
                refused: "small.csv".into()
            })
        );
    }

    #[test]
    fn answers_of_an_earlier_import_are_dropped() {
        let answer = Stamped {
            generation: 3,
            message: 52u8,
        };
        assert_eq!(answer.clone().for_current(3), Some(52));
        assert_eq!(answer.for_current(4), None);
    }
}
