//! Every path of the import session, natively: each step's commands written out as short words
//! ("send first inspect auto split", "absorb p2"), so a test reads as the dialogue it checks.

use super::*;
use crate::engine::ingest::inspect;

/// The page's things, as plain names.
#[derive(Debug)]
struct T;

impl Platform for T {
    type File = &'static str;
    type Part = &'static str;
    type Finished = &'static str;
}

const MB: u64 = 1024 * 1024;

fn role(role: Role) -> &'static str {
    match role {
        Role::First => "first",
        Role::Second => "second",
        Role::Reader => "reader",
    }
}

/// A command in words.
fn word(command: &Command<T>) -> String {
    match command {
        Command::Start(r) => format!("start {}", role(*r)),
        Command::Terminate(r) => format!("end {}", role(*r)),
        Command::Send { to, request, .. } => {
            let what = match request.as_ref() {
                Request::Inspect { auto, split, .. } => format!(
                    "inspect{}{}",
                    if *auto { " auto" } else { "" },
                    if *split { " split" } else { "" }
                ),
                Request::Import { split, .. } => {
                    format!("import{}", if *split { " split" } else { "" })
                }
                Request::ImportPart { start, .. } => format!("part from {start}"),
                Request::Absorb => "absorb".into(),
                Request::Restore(_) => "restore".into(),
            };
            format!("send {} {what}", role(*to))
        }
        Command::Absorb { part, .. } => format!("absorb {}", part.unwrap_or("none")),
        Command::MarkStart => "mark".into(),
        Command::SetPreview(preview) => match preview {
            Some(_) => "preview".into(),
            None => "preview none".into(),
        },
        Command::ShowHead {
            head,
            file_name,
            source,
        } => format!("show head {head} as {file_name} from {source:?}"),
        Command::ApplyLater { .. } => "apply later".into(),
        Command::Apply {
            finished,
            file_name,
            source,
        } => format!("apply {finished} as {file_name} from {source:?}"),
        Command::PrewarmLater => "prewarm later".into(),
    }
}

/// A page with its session and a clock.
struct Page {
    session: Session<T>,
    now: f64,
}

impl Page {
    fn new(cores: u32) -> Page {
        Page {
            session: Session::new(cores),
            now: 0.0,
        }
    }

    fn step(&mut self, event: Event<T>) -> Vec<String> {
        self.now += 10.0;
        let commands = self.session.step(event, self.now);
        // No worker is ever left busy when nothing runs (so none is ever given a second job).
        if !self.session.is_busy() {
            for r in [Role::First, Role::Second, Role::Reader] {
                assert_ne!(self.session.worker(r), Worker::Busy, "{} busy", role(r));
            }
        }
        commands.iter().map(word).collect()
    }

    fn open(&mut self, name: &'static str, size: u64) -> Vec<String> {
        self.open_from(name, size, Source::File)
    }

    fn open_from(&mut self, name: &'static str, size: u64, source: Source) -> Vec<String> {
        self.step(Event::Open {
            file: name,
            name: name.into(),
            size,
            source,
            options: InspectOptions::default(),
        })
    }

    fn answer(&mut self, from: Role, answer: Answer<T>) -> Vec<String> {
        let generation = self.session.generation();
        self.step(Event::Answer {
            from,
            generation,
            answer,
        })
    }

    fn first(&mut self, answer: Answer<T>) -> Vec<String> {
        self.answer(Role::First, answer)
    }

    fn second(&mut self, answer: Answer<T>) -> Vec<String> {
        self.answer(Role::Second, answer)
    }

    /// An answer of import `generation`.
    fn late(&mut self, from: Role, generation: u64, answer: Answer<T>) -> Vec<String> {
        self.step(Event::Answer {
            from,
            generation,
            answer,
        })
    }

    fn apply_due(&mut self) -> Vec<String> {
        let generation = self.session.generation();
        self.step(Event::ApplyDue { generation })
    }

    fn job(&self) -> Job {
        self.session.job()
    }
}

/// A preview that raises no concern (the worker goes on importing), or one that does
/// (ambiguous dates: the user must choose).
fn preview(clear: bool) -> Answer<T> {
    let csv: &[u8] = match clear {
        true => b"customer,amount\nc1,1\nc2,2\n",
        false => b"customer,date,amount\nc1,05/01/2024,1\nc2,06/02/2024,2\n",
    };
    let preview = inspect(csv, true, &InspectOptions::default()).unwrap();
    assert_eq!(preview.concerns().is_empty(), clear);
    Answer::Preview(Box::new(preview))
}

fn settings() -> ImportSettings {
    match preview(true) {
        Answer::Preview(preview) => preview.settings(),
        _ => unreachable!(),
    }
}

fn failed() -> Error {
    Error::HeaderOnly
}

fn progress(bytes: u64, rows: u64) -> Answer<T> {
    Answer::Progress { bytes, rows }
}

impl Page {
    /// The name of the file being imported, if the job is importing.
    fn file_of_importing(&self) -> Option<String> {
        match self.job() {
            Job::Importing { file_name, .. } => Some(file_name),
            _ => None,
        }
    }
}

#[test]
fn a_clear_file_is_inspected_and_imported_in_one_go() {
    let mut page = Page::new(2);
    assert_eq!(page.step(Event::Prewarm), ["start first"]);
    assert_eq!(page.step(Event::Prewarm), Vec::<String>::new());
    assert_eq!(
        page.open("a.csv", MB),
        ["mark", "preview none", "send first inspect auto"]
    );
    assert_eq!(
        page.job(),
        Job::Inspecting {
            file_name: "a.csv".into()
        }
    );
    assert_eq!(page.first(preview(true)), ["preview"]);
    assert_eq!(page.file_of_importing().as_deref(), Some("a.csv"));
    assert_eq!(page.first(progress(MB / 2, 500)), Vec::<String>::new());
    let Job::Importing { progress, .. } = page.job() else {
        panic!("not importing");
    };
    assert_eq!(
        (progress.bytes, progress.total, progress.rows),
        (MB / 2, MB, 500)
    );
    assert!(progress.elapsed_ms > 0.0);
    assert_eq!(
        page.first(Answer::Done("result")),
        ["end first", "apply later"]
    );
    // Decoded, not yet shown: still importing (a file dropped now is refused).
    assert!(page.session.is_busy());
    assert_eq!(
        page.apply_due(),
        ["apply result as a.csv from File", "prewarm later"]
    );
    assert_eq!(page.job(), Job::Idle);
    assert_eq!(page.step(Event::Prewarm), ["start first"]);
    assert!(page.session.has_file());
}

#[test]
fn the_head_of_a_big_result_is_shown_while_its_customers_arrive() {
    let mut page = Page::new(2);
    page.open_from("big.csv", MB, Source::Paste);
    page.first(preview(true));
    // The head: shown, the import still running (a file dropped now is refused), the worker
    // still the import's.
    assert_eq!(
        page.first(Answer::Head("head")),
        ["show head head as big.csv from Paste"]
    );
    assert!(matches!(page.job(), Job::Importing { .. }));
    assert!(page.session.is_busy());
    assert_eq!(page.session.worker(Role::First), Worker::Busy);
    // Then the whole result, applied as without a head.
    assert_eq!(
        page.first(Answer::Done("all")),
        ["end first", "apply later"]
    );
    assert_eq!(
        page.apply_due(),
        ["apply all as big.csv from Paste", "prewarm later"]
    );
    // A head that comes late (of this import, now applied) shows nothing.
    assert_eq!(page.first(Answer::Head("late")), Vec::<String>::new());
}

#[test]
fn a_head_of_another_import_or_of_a_cancelled_one_is_not_shown() {
    let mut page = Page::new(2);
    page.open("a.csv", MB);
    page.first(preview(true));
    let old = page.session.generation();
    assert_eq!(page.step(Event::Cancel), ["end first"]);
    assert_eq!(
        page.late(Role::First, old, Answer::Head("a")),
        Vec::<String>::new()
    );
    page.open("b.csv", MB);
    page.first(preview(true));
    // The cancelled import's head, arriving during the next one.
    assert_eq!(
        page.late(Role::First, old, Answer::Head("a")),
        Vec::<String>::new()
    );
    // The second worker has no head to show (only the first's merged result counts).
    assert_eq!(page.second(Answer::Head("half")), Vec::<String>::new());
    assert_eq!(
        page.first(Answer::Head("b")),
        ["show head b as b.csv from File"]
    );
}

#[test]
fn a_file_that_needs_the_user_stops_at_the_mapping_step() {
    let mut page = Page::new(2);
    page.open("dates.csv", MB);
    assert_eq!(page.first(preview(false)), ["preview"]);
    assert_eq!(
        page.job(),
        Job::Mapping {
            file_name: "dates.csv".into()
        }
    );
    assert_eq!(page.session.worker(Role::First), Worker::Idle);
    // The user changes a setting: the idle worker reads the head again, and waits even for a
    // clear answer.
    assert_eq!(
        page.step(Event::Reinspect(InspectOptions::default())),
        ["send first inspect"]
    );
    assert_eq!(page.first(preview(true)), ["preview"]);
    assert!(matches!(page.job(), Job::Mapping { .. }));
    assert_eq!(
        page.step(Event::Import(settings())),
        ["mark", "send first import"]
    );
    assert_eq!(page.first(Answer::Done("r")), ["end first", "apply later"]);
    assert_eq!(
        page.apply_due(),
        ["apply r as dates.csv from File", "prewarm later"]
    );
}

#[test]
fn a_file_dropped_during_an_import_is_refused_and_named() {
    let mut page = Page::new(2);
    page.open("big.csv", 40 * MB);
    // While the head is read, while importing, and while the result waits to be shown.
    let stages: [fn(&mut Page); 3] = [
        |_| {},
        |page| {
            page.first(preview(true));
        },
        |page| {
            page.first(Answer::Done("big"));
        },
    ];
    for stage in stages {
        stage(&mut page);
        let job = page.job();
        let generation = page.session.generation();
        assert_eq!(page.open("small.csv", 10), Vec::<String>::new());
        assert_eq!(
            page.session.refused(),
            Some(&Refusal {
                running: "big.csv".into(),
                refused: "small.csv".into()
            })
        );
        // The running import goes on untouched.
        assert_eq!(page.job(), job);
        assert_eq!(page.session.generation(), generation);
    }
    // The sample and a paste take the same path.
    assert_eq!(
        page.open_from("sample.csv", 10, Source::Sample),
        Vec::<String>::new()
    );
    assert_eq!(page.session.refused().unwrap().refused, "sample.csv");
    assert_eq!(
        page.apply_due(),
        ["apply big as big.csv from File", "prewarm later"]
    );
    // Shown until dismissed or the next file opens.
    assert!(page.session.refused().is_some());
    page.step(Event::DismissRefusal);
    assert_eq!(page.session.refused(), None);
    page.open("next.csv", 10);
    assert_eq!(page.open("other.csv", 10), Vec::<String>::new());
    page.first(Answer::Failed(failed()));
    page.open("again.csv", 10);
    assert_eq!(page.session.refused(), None);
}

#[test]
fn cancel_ends_the_workers_and_drops_whatever_they_still_send() {
    let mut page = Page::new(2);
    assert_eq!(
        page.step(Event::Cancel),
        Vec::<String>::new(),
        "nothing runs"
    );
    page.open("a.csv", MB);
    page.first(preview(true));
    let old = page.session.generation();
    assert_eq!(page.step(Event::Cancel), ["end first"]);
    assert_eq!(page.job(), Job::Cancelled);
    for answer in [
        progress(1, 1),
        Answer::Done("late"),
        Answer::Failed(failed()),
        preview(true),
    ] {
        assert_eq!(page.late(Role::First, old, answer), Vec::<String>::new());
        assert_eq!(page.job(), Job::Cancelled);
    }
    assert_eq!(
        page.step(Event::ApplyDue { generation: old }),
        Vec::<String>::new()
    );
    // The next file gets a fresh worker.
    assert_eq!(
        page.open("b.csv", MB),
        [
            "mark",
            "preview none",
            "start first",
            "send first inspect auto"
        ]
    );
}

#[test]
fn cancel_after_the_result_is_decoded_keeps_it_off_the_screen() {
    let mut page = Page::new(2);
    page.open("a.csv", MB);
    page.first(preview(true));
    page.first(Answer::Done("a"));
    let old = page.session.generation();
    assert_eq!(page.step(Event::Cancel), Vec::<String>::new());
    assert_eq!(page.job(), Job::Cancelled);
    assert_eq!(
        page.step(Event::ApplyDue { generation: old }),
        Vec::<String>::new()
    );
}

#[test]
fn a_failure_is_shown_and_the_worker_takes_the_next_file() {
    let mut page = Page::new(2);
    page.step(Event::Prewarm);
    page.open("bad.csv", MB);
    assert_eq!(page.first(Answer::Failed(failed())), Vec::<String>::new());
    assert_eq!(
        page.job(),
        Job::Failed {
            file_name: "bad.csv".into(),
            error: failed()
        }
    );
    assert_eq!(page.session.worker(Role::First), Worker::Idle);
    assert_eq!(
        page.open("good.csv", MB),
        ["mark", "preview none", "send first inspect auto"]
    );
}

#[test]
fn a_crashed_worker_is_replaced() {
    let mut page = Page::new(2);
    page.open("huge.csv", MB);
    page.first(preview(true));
    assert_eq!(page.first(Answer::Crashed(failed())), ["end first"]);
    assert!(matches!(page.job(), Job::Failed { .. }));
    assert_eq!(
        page.open("b.csv", MB),
        [
            "mark",
            "preview none",
            "start first",
            "send first inspect auto"
        ]
    );
    // A worker that crashes while idle (an earlier import's number) is replaced too.
    page.first(preview(false));
    assert_eq!(
        page.late(Role::First, 0, Answer::Crashed(failed())),
        ["end first"]
    );
    assert!(matches!(page.job(), Job::Mapping { .. }));
    assert_eq!(
        page.step(Event::Import(settings())),
        ["mark", "start first", "send first import"]
    );
}

#[test]
fn a_worker_that_cannot_start_fails_the_import() {
    let mut page = Page::new(2);
    page.open("a.csv", MB);
    page.step(Event::StartFailed {
        role: Role::First,
        detail: "no workers".into(),
    });
    let Job::Failed { error, .. } = page.job() else {
        panic!("not failed");
    };
    assert!(matches!(
        error,
        Error::Format {
            reason: FormatProblem::WorkerFailed { .. },
            ..
        }
    ));
    assert_eq!(page.session.worker(Role::First), Worker::Absent);
}

#[test]
fn which_files_are_read_in_two_halves() {
    for (cores, size, split) in [
        (8, 20 * MB, true),
        (4, SPLIT_MIN_BYTES, true),
        (4, SPLIT_MAX_BYTES, true),
        (2, 20 * MB, false),
        (3, 20 * MB, false),
        (8, SPLIT_MIN_BYTES - 1, false),
        (8, SPLIT_MAX_BYTES + 1, false),
    ] {
        let mut page = Page::new(cores);
        let sent = page.open("f.csv", size);
        let expected = match split {
            true => [
                "mark",
                "preview none",
                "start second",
                "start first",
                "send first inspect auto split",
            ]
            .as_slice(),
            false => [
                "mark",
                "preview none",
                "start first",
                "send first inspect auto",
            ]
            .as_slice(),
        };
        assert_eq!(sent, expected, "{cores} cores, {size} bytes");
    }
}

/// A page on 8 cores importing a 20 MB file in two halves, up to the second worker's start.
fn split_page() -> Page {
    let mut page = Page::new(8);
    assert_eq!(page.step(Event::Prewarm), ["start first", "start second"]);
    assert_eq!(
        page.open("big.csv", 20 * MB),
        ["mark", "preview none", "send first inspect auto split"]
    );
    page.first(preview(true));
    assert_eq!(page.session.halves(), Some(Halves::Offered));
    assert_eq!(
        page.first(Answer::SplitAt {
            start: 10 * MB,
            settings: Box::new(settings())
        }),
        ["send second part from 10485760"]
    );
    assert_eq!(page.session.halves(), Some(Halves::Second));
    page
}

#[test]
fn two_halves_are_merged_and_only_the_merged_result_ends_the_import() {
    let mut page = split_page();
    page.first(progress(4 * MB, 100));
    page.second(progress(2 * MB, 50));
    let Job::Importing { progress, .. } = page.job() else {
        panic!("not importing");
    };
    assert_eq!((progress.bytes, progress.rows), (6 * MB, 150));
    // The second worker's result is its part: the import is not over.
    assert_eq!(page.second(Answer::Part("p2")), ["end second", "absorb p2"]);
    assert_eq!(page.session.halves(), Some(Halves::Merging));
    assert!(page.file_of_importing().is_some());
    // A `Done` from the second worker does not end it either.
    assert_eq!(page.second(Answer::Done("half")), Vec::<String>::new());
    assert!(page.file_of_importing().is_some());
    assert_eq!(
        page.first(Answer::Done("merged")),
        ["end first", "apply later"]
    );
    assert_eq!(
        page.apply_due(),
        ["apply merged as big.csv from File", "prewarm later"]
    );
    assert_eq!(page.step(Event::Prewarm), ["start first", "start second"]);
}

#[test]
fn when_one_half_fails_the_first_worker_reads_the_rest() {
    for answer in [Answer::Failed(failed()), Answer::Crashed(failed())] {
        let mut page = split_page();
        page.second(progress(3 * MB, 70));
        assert_eq!(page.second(answer), ["end second", "absorb none"]);
        // Its progress no longer counts; the import goes on.
        let Job::Importing { progress, .. } = page.job() else {
            panic!("not importing");
        };
        assert_eq!(progress.bytes, 0);
        assert_eq!(
            page.first(Answer::Done("whole")),
            ["end first", "apply later"]
        );
    }
    // The first worker fails: the second is ended with it.
    let mut page = split_page();
    assert_eq!(page.first(Answer::Failed(failed())), ["end second"]);
    assert!(matches!(page.job(), Job::Failed { .. }));
}

#[test]
fn cancel_during_the_halves_ends_both_and_no_part_is_passed_on() {
    let mut page = split_page();
    let old = page.session.generation();
    assert_eq!(page.step(Event::Cancel), ["end first", "end second"]);
    assert_eq!(
        page.late(Role::Second, old, Answer::Part("p2")),
        Vec::<String>::new()
    );
    assert_eq!(
        page.late(Role::First, old, Answer::Done("x")),
        Vec::<String>::new()
    );
    assert_eq!(page.job(), Job::Cancelled);
    assert_eq!(
        page.open("next.csv", MB),
        [
            "mark",
            "preview none",
            "start first",
            "send first inspect auto"
        ]
    );
}

#[test]
fn the_first_worker_may_read_on_alone() {
    // No split point (an encoding that is not ASCII-compatible): the second stays idle.
    let mut page = Page::new(8);
    page.step(Event::Prewarm);
    page.open("utf16.csv", 20 * MB);
    page.first(preview(true));
    assert_eq!(
        page.first(Answer::Done("all")),
        ["end first", "apply later"]
    );
    assert_eq!(page.session.worker(Role::Second), Worker::Idle);
    // A quoted line break at the split: the first reads on and finishes while the second
    // still reads, which is ended.
    let mut page = split_page();
    assert_eq!(
        page.first(Answer::Done("all")),
        ["end first", "end second", "apply later"]
    );
    // The second worker could not be started: the first is told to read on.
    let mut page = Page::new(8);
    page.open("big.csv", 20 * MB);
    page.step(Event::StartFailed {
        role: Role::Second,
        detail: "no".into(),
    });
    page.first(preview(true));
    assert_eq!(
        page.first(Answer::SplitAt {
            start: 1,
            settings: Box::new(settings())
        }),
        ["absorb none"]
    );
}

#[test]
fn importing_again_with_new_settings_is_a_new_import() {
    let mut page = Page::new(2);
    page.open("a.csv", MB);
    page.first(preview(true));
    // Not while the first import runs.
    assert_eq!(page.step(Event::Import(settings())), Vec::<String>::new());
    page.first(Answer::Done("a1"));
    page.apply_due();
    let old = page.session.generation();
    assert_eq!(
        page.step(Event::Import(settings())),
        ["mark", "start first", "send first import"]
    );
    assert_eq!(page.session.generation(), old + 1);
    assert_eq!(
        page.late(Role::First, old, Answer::Done("a1 again")),
        Vec::<String>::new()
    );
    assert_eq!(page.first(Answer::Done("a2")), ["end first", "apply later"]);
    assert_eq!(
        page.apply_due(),
        ["apply a2 as a.csv from File", "prewarm later"]
    );
    // Without a file, nothing to import or inspect.
    let mut empty = Page::new(2);
    assert_eq!(empty.step(Event::Import(settings())), Vec::<String>::new());
    assert_eq!(
        empty.step(Event::Reinspect(InspectOptions::default())),
        Vec::<String>::new()
    );
}

#[test]
fn new_settings_while_the_head_is_read_start_it_over() {
    let mut page = Page::new(8);
    page.open("big.csv", 20 * MB);
    let old = page.session.generation();
    assert_eq!(
        page.step(Event::Reinspect(InspectOptions::default())),
        ["end first", "start first", "send first inspect"]
    );
    // The first reading's answer is dropped.
    assert_eq!(
        page.late(Role::First, old, preview(true)),
        Vec::<String>::new()
    );
    assert!(matches!(page.job(), Job::Inspecting { .. }));
    assert_eq!(page.first(preview(true)), ["preview"]);
    assert!(matches!(page.job(), Job::Mapping { .. }));
    // … and during a split import, the second worker is ended too.
    let mut page = split_page();
    assert_eq!(
        page.step(Event::Reinspect(InspectOptions::default())),
        [
            "end second",
            "end first",
            "start first",
            "send first inspect"
        ]
    );
}

#[test]
fn the_sample_and_a_paste_take_the_same_path() {
    for source in [Source::Sample, Source::Paste] {
        let mut page = Page::new(2);
        page.open_from("sample.csv", 200_000, source);
        page.first(preview(true));
        page.first(Answer::Done("s"));
        assert_eq!(
            page.apply_due(),
            [
                format!("apply s as sample.csv from {source:?}"),
                "prewarm later".to_string()
            ]
        );
    }
}

#[test]
fn answers_of_an_earlier_import_are_dropped_in_every_phase() {
    let mut page = Page::new(8);
    page.open("a.csv", 20 * MB);
    let first = page.session.generation();
    page.first(Answer::Failed(failed()));
    page.open("b.csv", 20 * MB);
    let stale = |page: &mut Page| {
        for (from, answer) in [
            (Role::First, preview(true)),
            (Role::First, progress(9, 9)),
            (
                Role::First,
                Answer::SplitAt {
                    start: 1,
                    settings: Box::new(settings()),
                },
            ),
            (Role::First, Answer::Done("old")),
            (Role::First, Answer::Failed(failed())),
            (Role::Second, Answer::Part("old part")),
            (Role::Second, Answer::Failed(failed())),
        ] {
            let job = page.job();
            assert_eq!(page.late(from, first, answer), Vec::<String>::new());
            assert_eq!(page.job(), job);
        }
    };
    stale(&mut page); // inspecting
    page.first(preview(true));
    stale(&mut page); // importing
    page.first(Answer::Done("b"));
    stale(&mut page); // finishing
    page.apply_due();
    stale(&mut page); // idle
    assert_eq!(page.job(), Job::Idle);
    // Idle: even an answer with the current number changes nothing.
    for answer in [preview(true), progress(1, 1), Answer::Done("again")] {
        assert_eq!(page.first(answer), Vec::<String>::new());
        assert_eq!(page.job(), Job::Idle);
    }
}

#[test]
fn a_second_workers_answers_outside_its_half_are_ignored() {
    let mut page = Page::new(8);
    page.step(Event::Prewarm);
    page.open("big.csv", 20 * MB);
    page.first(preview(true));
    // Before the split is named, the second worker has not been asked anything.
    assert_eq!(page.second(Answer::Part("early")), Vec::<String>::new());
    assert_eq!(page.second(progress(5, 5)), Vec::<String>::new());
    assert_eq!(page.session.halves(), Some(Halves::Offered));
    // A second `SplitAt` is not obeyed twice.
    let mut page = split_page();
    assert_eq!(
        page.first(Answer::SplitAt {
            start: 3,
            settings: Box::new(settings())
        }),
        Vec::<String>::new()
    );
    // A part after the first has been told to read on alone is dropped.
    page.second(Answer::Failed(failed()));
    assert_eq!(page.second(Answer::Part("late")), Vec::<String>::new());
}

#[test]
fn progress_reads_as_speed() {
    let progress = Progress {
        bytes: 50,
        total: 200,
        rows: 1_000,
        elapsed_ms: 500.0,
    };
    assert_eq!(progress.fraction(), 0.25);
    assert_eq!(progress.rows_per_second(), 2_000.0);
    assert_eq!(Progress::default().fraction(), 0.0);
    assert_eq!(Progress::default().rows_per_second(), 0.0);
}

#[test]
fn the_encoding_hint_follows_the_browser_and_the_ui_language() {
    use crate::i18n::Lang;
    let langs = |list: &[&str]| list.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    for (languages, lang, hint) in [
        (
            langs(&["zh-TW", "en"]),
            Lang::En,
            LanguageHint::TraditionalChinese,
        ),
        (
            langs(&["en", "zh-Hant-HK"]),
            Lang::Zh,
            LanguageHint::TraditionalChinese,
        ),
        (
            langs(&["zh-hk"]),
            Lang::Zh,
            LanguageHint::TraditionalChinese,
        ),
        (langs(&["zh-CN"]), Lang::Zh, LanguageHint::SimplifiedChinese),
        (langs(&["zh-CN"]), Lang::En, LanguageHint::Other),
        (langs(&[]), Lang::Zh, LanguageHint::SimplifiedChinese),
    ] {
        assert_eq!(
            language_hint(&languages, lang),
            hint,
            "{languages:?} {lang:?}"
        );
    }
}

/// Issue 17: a table file goes to the reader worker (by its name, or by its first bytes when
/// the import worker finds it no text), is never split, and is cancelled like any import.
#[test]
fn table_files_go_to_the_reader() {
    let mut page = Page::new(8);
    // By name: on demand, never split, even at a size that would split a CSV.
    assert_eq!(
        page.open("orders.xlsx", 20 * MB),
        [
            "mark",
            "preview none",
            "start reader",
            "send reader inspect auto"
        ]
    );
    assert_eq!(page.session.worker(Role::Reader), Worker::Busy);
    assert_eq!(
        page.answer(Role::Reader, Answer::Progress { bytes: 5, rows: 2 }),
        Vec::<String>::new()
    );
    // An answer of the import worker is not the reader's.
    assert_eq!(page.first(Answer::Done("stale")), Vec::<String>::new());
    assert_eq!(page.step(Event::Cancel), ["end reader"]);
    assert_eq!(page.session.worker(Role::Reader), Worker::Absent);
    // A workbook under another name: the import worker refuses it as binary, the reader reads it.
    let mut page = Page::new(2);
    assert_eq!(
        page.open("export.dat", MB),
        [
            "mark",
            "preview none",
            "start first",
            "send first inspect auto"
        ]
    );
    let binary = Error::Binary {
        what: crate::engine::BinaryKind::ZipOrXlsx,
    };
    assert_eq!(
        page.first(Answer::Failed(binary)),
        ["start reader", "send reader inspect auto"]
    );
    assert_eq!(page.session.worker(Role::First), Worker::Idle);
    assert_eq!(
        page.session.job(),
        Job::Inspecting {
            file_name: "export.dat".into()
        }
    );
    assert_eq!(page.step(Event::Cancel), ["end reader"]);
    // Other binary data stays refused.
    let mut page = Page::new(2);
    page.open("photo.csv", MB);
    let png = Error::Binary {
        what: crate::engine::BinaryKind::Png,
    };
    assert_eq!(
        page.first(Answer::Failed(png.clone())),
        Vec::<String>::new()
    );
    assert_eq!(
        page.session.job(),
        Job::Failed {
            file_name: "photo.csv".into(),
            error: png
        }
    );
}

#[test]
fn legacy_text_goes_to_the_reader() {
    // The import worker is built without the legacy encodings: a GBK file it cannot read goes
    // to the reader, split or not, and stays there for the import.
    let legacy = || Error::LegacyEncoding { name: None };
    let mut page = Page::new(8);
    assert_eq!(
        page.open("订单.csv", 40 * MB),
        [
            "mark",
            "preview none",
            "start second",
            "start first",
            "send first inspect auto split"
        ]
    );
    assert_eq!(
        page.first(Answer::Failed(legacy())),
        ["start reader", "send reader inspect auto"]
    );
    assert_eq!(page.session.worker(Role::First), Worker::Idle);
    assert!(matches!(page.job(), Job::Inspecting { .. }));
    // The reader's preview asks the user; the import then goes to the reader, unsplit.
    assert_eq!(page.answer(Role::Reader, preview(false)), ["preview"]);
    assert!(matches!(page.job(), Job::Mapping { .. }));
    assert_eq!(
        page.step(Event::Import(settings())),
        ["mark", "send reader import"]
    );
    assert_eq!(
        page.answer(Role::Reader, Answer::Done("gbk")),
        ["end reader", "apply later"]
    );
    assert_eq!(
        page.apply_due(),
        ["apply gbk as 订单.csv from File", "prewarm later"]
    );
    // Once it has read a file, the reader is kept ready like the import worker (whose instance
    // never gave back the memory of the import either).
    assert_eq!(page.step(Event::Prewarm), ["start reader"]);
    assert_eq!(page.step(Event::Prewarm), Vec::<String>::new());

    // A UTF-8 file for which the user picks GBK: the import worker refuses the choice, and the
    // reader inspects again with it.
    let mut page = Page::new(2);
    page.open("utf8.csv", MB);
    assert_eq!(page.first(preview(false)), ["preview"]);
    let gbk = InspectOptions {
        encoding: Some("GBK".into()),
        ..InspectOptions::default()
    };
    assert_eq!(
        page.step(Event::Reinspect(gbk.clone())),
        ["send first inspect"]
    );
    let refused = Error::LegacyEncoding {
        name: Some("GBK".into()),
    };
    let commands = page.session.step(
        Event::Answer {
            from: Role::First,
            generation: page.session.generation(),
            answer: Answer::Failed(refused),
        },
        page.now,
    );
    let [Command::Start(Role::Reader), Command::Send { to, request, .. }] = commands.as_slice()
    else {
        panic!("{:?}", commands.iter().map(word).collect::<Vec<_>>());
    };
    assert_eq!(*to, Role::Reader);
    assert!(
        matches!(request.as_ref(), Request::Inspect { options, auto: false, .. } if *options == gbk)
    );
    // Other refusals stay refusals.
    let mut page = Page::new(2);
    page.open("bad.csv", MB);
    assert_eq!(page.first(Answer::Failed(failed())), Vec::<String>::new());
    assert!(matches!(page.job(), Job::Failed { .. }));
}
