//! The first worker's side of a split import (两半合并): it reads the first half while the
//! second worker reads the second, then merges the second half's part. The part may come
//! before the first half is read (it waits), after (the import waits for it), or not at all
//! (the second worker failed: the first reads the rest itself). Pure; `bin/worker.rs` keeps one
//! [`Join`] and does what its [`Step`]s say.
//!
//! `I` is what waits for the part (the importer, with the file and where the half starts), `P`
//! the part as received.

/// Where the join of the two halves stands.
#[derive(Debug, Default)]
pub enum Join<I, P> {
    /// No split import is running.
    #[default]
    Idle,
    /// The first half is being read; `early` is a part (or the word that there is none) that
    /// came meanwhile.
    Reading {
        /// The import.
        generation: u64,
        /// What came early.
        early: Option<Option<P>>,
    },
    /// The first half is read; waiting for the part.
    Waiting {
        /// The import.
        generation: u64,
        /// The first half's import.
        first: I,
    },
}

/// What the worker is to do next.
#[derive(Debug, PartialEq)]
pub enum Step<I, P> {
    /// Nothing now.
    Wait,
    /// Merge `part` into `first` and finish.
    Merge {
        /// The first half's import.
        first: I,
        /// The second half's part.
        part: P,
    },
    /// Read the rest of the file into `first` and finish (no part will come, or the second
    /// half did not start at a record).
    ReadRest {
        /// The first half's import.
        first: I,
    },
}

impl<I, P> Join<I, P> {
    /// Import `generation` starts reading its first half (whatever ran before is dropped).
    pub fn start(&mut self, generation: u64) {
        *self = Join::Reading {
            generation,
            early: None,
        };
    }

    /// The first half of import `generation` is read; `at_boundary` tells whether the second
    /// half starts at a record (no quoted field runs over the split).
    pub fn first_half_read(&mut self, generation: u64, first: I, at_boundary: bool) -> Step<I, P> {
        let early = match std::mem::take(self) {
            Join::Reading {
                generation: reading,
                early,
            } if reading == generation => early,
            // Not this import's: a later one has started; drop this one.
            other => {
                *self = other;
                return Step::Wait;
            }
        };
        if !at_boundary {
            // The second half started inside a record: its part is worthless.
            return Step::ReadRest { first };
        }
        match early {
            Some(Some(part)) => Step::Merge { first, part },
            Some(None) => Step::ReadRest { first },
            None => {
                *self = Join::Waiting { generation, first };
                Step::Wait
            }
        }
    }

    /// The second half's part of import `generation` came (`None`: it failed).
    pub fn part(&mut self, generation: u64, part: Option<P>) -> Step<I, P> {
        match std::mem::take(self) {
            Join::Reading {
                generation: reading,
                early: None,
            } if reading == generation => {
                *self = Join::Reading {
                    generation,
                    early: Some(part),
                };
                Step::Wait
            }
            Join::Waiting {
                generation: waiting,
                first,
            } if waiting == generation => match part {
                Some(part) => Step::Merge { first, part },
                None => Step::ReadRest { first },
            },
            // Another import's, or a second part: dropped.
            other => {
                *self = other;
                Step::Wait
            }
        }
    }

    /// The import failed or ended: nothing waits any more.
    pub fn reset(&mut self) {
        *self = Join::Idle;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type J = Join<&'static str, u32>;

    #[test]
    fn the_part_after_the_first_half_is_merged() {
        let mut join = J::default();
        join.start(1);
        assert_eq!(join.first_half_read(1, "first", true), Step::Wait);
        assert_eq!(
            join.part(1, Some(7)),
            Step::Merge {
                first: "first",
                part: 7
            }
        );
        assert!(matches!(join, Join::Idle));
    }

    #[test]
    fn a_part_that_comes_early_waits_for_the_first_half() {
        let mut join = J::default();
        join.start(1);
        assert_eq!(join.part(1, Some(7)), Step::Wait);
        assert_eq!(
            join.first_half_read(1, "first", true),
            Step::Merge {
                first: "first",
                part: 7
            }
        );
    }

    #[test]
    fn without_a_part_the_first_worker_reads_the_rest() {
        for early in [true, false] {
            let mut join = J::default();
            join.start(2);
            if early {
                assert_eq!(join.part(2, None), Step::Wait);
                assert_eq!(
                    join.first_half_read(2, "first", true),
                    Step::ReadRest { first: "first" }
                );
            } else {
                assert_eq!(join.first_half_read(2, "first", true), Step::Wait);
                assert_eq!(join.part(2, None), Step::ReadRest { first: "first" });
            }
        }
    }

    #[test]
    fn a_split_inside_a_record_reads_on_and_drops_the_part() {
        let mut join = J::default();
        join.start(1);
        assert_eq!(join.part(1, Some(7)), Step::Wait);
        assert_eq!(
            join.first_half_read(1, "first", false),
            Step::ReadRest { first: "first" }
        );
        assert_eq!(join.part(1, Some(8)), Step::Wait);
    }

    #[test]
    fn parts_of_another_import_are_dropped() {
        let mut join = J::default();
        join.start(3);
        assert_eq!(join.part(2, Some(7)), Step::Wait);
        assert_eq!(join.first_half_read(3, "first", true), Step::Wait);
        assert_eq!(join.part(4, Some(7)), Step::Wait);
        assert_eq!(
            join.part(3, Some(9)),
            Step::Merge {
                first: "first",
                part: 9
            }
        );
        // A stale first half (its import was superseded) is dropped too.
        join.start(5);
        assert_eq!(join.first_half_read(4, "old", true), Step::Wait);
        assert!(matches!(join, Join::Reading { generation: 5, .. }));
        join.reset();
        assert_eq!(join.part(5, Some(1)), Step::Wait);
    }
}
