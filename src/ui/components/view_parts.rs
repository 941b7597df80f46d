//! Small pieces the analysis views share: a section's memo over an analysis and the language,
//! and the value of an input's change event.

use std::sync::Arc;

use leptos::ev;
use leptos::prelude::*;
use web_sys::HtmlInputElement;

use crate::engine::error::Error;
use crate::i18n::Lang;

/// A memo of [`crate::ui::state::Analyses`].
pub type Analysis<T> = Memo<Option<Result<Arc<T>, Error>>>;

/// One part of a view: recomputed when its analysis or the language changes (`None` without a
/// result).
pub fn part<A, T>(
    analysis: Analysis<A>,
    lang: RwSignal<Lang>,
    make: impl Fn(&A, Lang) -> T + Send + Sync + 'static,
) -> Memo<Option<T>>
where
    A: Send + Sync + 'static,
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(move |_| {
        let lang = lang.get();
        analysis.with(|a| match a {
            Some(Ok(a)) => Some(make(a, lang)),
            _ => None,
        })
    })
}

/// The value of the input an event came from.
pub fn input_value(event: &ev::Event) -> String {
    event_target::<HtmlInputElement>(event).value()
}

/// From how many customers a heavy view (deciles, RFM, the report) is built over several tasks
/// instead of one: the one that opens it shows a note, the next ones compute its analyses, the
/// one after that builds it, so that no task of the page's thread takes much over one analysis
/// or the building alone (at 96,813 customers each is 25–40 ms, together 70–80 ms).
pub const PREPARED_FROM: usize = 20_000;

/// A task of [`in_tasks`] takes the next step while the time spent so far and the last step's
/// time (ms) stay below this: pieces of an analysis ([`crate::ui::sliced`], 5–25 ms each at a
/// million customers) one or two a task; a view shown again (every step done at once) in one.
pub const TASK_BUDGET_MS: f64 = 24.0;

/// A step of [`prepared`]: what computes one of the view's analyses, a piece a call
/// ([`crate::ui::state::Analyses::computing_deciles`]); it returns true to be called again.
pub type Step = Box<dyn FnMut() -> bool + 'static>;

/// `content`, at once for fewer than [`PREPARED_FROM`] `customers`; else a note first
/// (`data-note="view-preparing"`, `aria-busy`), then the `steps` (what computes the view's
/// analyses, in pieces, and reads their memos) over the next tasks ([`in_tasks`]), and
/// `content` in the task after the last — short steps share a task ([`TASK_BUDGET_MS`]), so a
/// view shown again is built at once. Nothing runs for a view closed in the meantime.
pub fn prepared(
    customers: usize,
    lang: RwSignal<Lang>,
    steps: Vec<Step>,
    content: impl Fn() -> AnyView + Send + Sync + 'static,
) -> AnyView {
    if customers < PREPARED_FROM {
        return content();
    }
    let shown = RwSignal::new(false);
    in_tasks(steps, shown);
    let note = move || {
        view! {
            <p class="vl-note" role="status" aria-busy="true" data-note="view-preparing" data-value=customers.to_string()>
                {move || crate::i18n::view_preparing_text(customers, lang.get())}
            </p>
        }
    };
    (move || {
        if shown.get() {
            content()
        } else {
            note().into_any()
        }
    })
    .into_any()
}

/// An edit of parameters on its way ([`edit_in_pieces`]).
struct Edit<T: Send + Sync + 'static> {
    signal: RwSignal<T>,
    next: Option<T>,
    step: Box<dyn FnMut(&T) -> bool>,
    edits: &'static std::thread::LocalKey<std::cell::Cell<u64>>,
    mine: u64,
}

/// Applies `change` to the parameters in `signal`: at once when not `big`; else once `step`
/// (the next piece of the analysis with the new parameters, ahead of the memo that reads them:
/// [`crate::ui::sliced`]) says none is left, as many pieces a task as [`TASK_BUDGET_MS`]
/// allows, so that the memo finishes from the pieces — set at once, it computed the analysis
/// in one task (the deciles 51–63 ms at 96,813 customers, 501–512 ms at 967,209; the RFM
/// 231–242 ms there). `edits` counts this signal's edits: a later one overtakes one still
/// computing. Parameters that do not change change nothing (set again, they made the memo
/// compute its analysis again).
pub fn edit_in_pieces<T: Clone + PartialEq + Send + Sync + 'static>(
    signal: RwSignal<T>,
    edits: &'static std::thread::LocalKey<std::cell::Cell<u64>>,
    big: bool,
    change: impl FnOnce(&mut T),
    step: impl FnMut(&T) -> bool + 'static,
) {
    let mine = edits.with(|e| {
        e.set(e.get() + 1);
        e.get()
    });
    let mut next = signal.get_untracked();
    change(&mut next);
    if signal.with_untracked(|now| *now == next) {
        return;
    }
    if !big {
        return signal.set(next);
    }
    let edit = Edit {
        signal,
        next: Some(next),
        step: Box::new(step),
        edits,
        mine,
    };
    in_budget(
        edit,
        |edit| {
            if edit.edits.with(std::cell::Cell::get) != edit.mine {
                return false;
            }
            let Some(next) = edit.next.as_ref() else {
                return false;
            };
            if (edit.step)(next) {
                return true;
            }
            if let Some(next) = edit.next.take() {
                edit.signal.try_set(next);
            }
            false
        },
        |_| {},
    );
}

/// Runs `f` in a task of its own, after the page's pending work.
fn next_task(f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::ZERO);
}

/// Runs `work` from the next task on: `step` again while it returns true, as many steps a
/// task as [`TASK_BUDGET_MS`] allows, `pause` at the end of each task that leaves steps for the
/// next (a progress shown). For work that is one long chain of steps (a file written or read a
/// piece at a time); a view's parts use [`in_tasks`].
pub fn in_budget<T: 'static>(work: T, step: fn(&mut T) -> bool, pause: fn(&T)) {
    next_task(move || run_budget(work, step, pause));
}

/// [`in_budget`] from this task on.
fn run_budget<T: 'static>(mut work: T, step: fn(&mut T) -> bool, pause: fn(&T)) {
    let start = crate::ui::browser::now_ms();
    loop {
        let before = crate::ui::browser::now_ms();
        if !step(&mut work) {
            return;
        }
        let now = crate::ui::browser::now_ms();
        if (now - start) + (now - before) >= TASK_BUDGET_MS {
            pause(&work);
            return next_task(move || run_budget(work, step, pause));
        }
    }
}

/// Runs `steps` from the next task on, a step again while it asks to be, as many calls a task
/// as [`TASK_BUDGET_MS`] allows; sets `done` once none is left. Nothing runs once `done` is
/// disposed (its view closed, or its data replaced).
pub fn in_tasks(steps: Vec<Step>, done: RwSignal<bool>) {
    let mut steps = steps;
    // Taken from the end.
    steps.reverse();
    next_task(move || run_steps(steps, done));
}

/// [`in_tasks`] from this task on.
fn run_steps(mut steps: Vec<Step>, done: RwSignal<bool>) {
    if done.try_get_untracked().is_none() {
        return;
    }
    let start = crate::ui::browser::now_ms();
    while let Some(mut step) = steps.pop() {
        let before = crate::ui::browser::now_ms();
        if step() {
            steps.push(step);
        }
        let now = crate::ui::browser::now_ms();
        if (now - start) + (now - before) >= TASK_BUDGET_MS {
            return next_task(move || run_steps(steps, done));
        }
    }
    // What waits for `done` (a view's content) is built in a task of its own when the steps
    // took a good part of this one: together they made tasks of 50–60 ms at ten million rows.
    if crate::ui::browser::now_ms() - start >= TASK_BUDGET_MS / 3.0 {
        return next_task(move || run_steps(steps, done));
    }
    done.try_set(true);
}

/// How many of a view's parts are shown: all at once, or one more each task (the first at
/// once), so that a long view (the report, the lifecycle view) is built over several tasks.
/// [`Staged::shown`] changes once per part, so a part is built once.
#[derive(Debug, Clone, Copy)]
pub struct Staged {
    count: RwSignal<usize>,
    parts: usize,
}

/// A step of a [`Staged`] view's part: run before the part is shown.
pub type PartStep = (usize, Step);

impl Staged {
    /// `parts` parts, all shown now when `at_once`, else the first now and one more each task.
    pub fn new(parts: usize, at_once: bool) -> Self {
        Staged::with_steps(parts, at_once, Vec::new())
    }

    /// [`Staged::new`], part `k` shown only once the `steps` given for parts up to `k` are done
    /// (they compute what it reads, [`TASK_BUDGET_MS`] a task, the part in a task after the
    /// last); `steps` in the order of their parts. [`Staged::finish`] shows every part at
    /// once, steps done or not (what they left is computed then).
    pub fn with_steps(parts: usize, at_once: bool, steps: Vec<PartStep>) -> Self {
        let staged = Staged {
            count: RwSignal::new(if at_once { parts } else { 1 }),
            parts,
        };
        if !at_once {
            let mut steps = steps;
            // Taken from the end.
            steps.reverse();
            next_task(move || staged.more(steps));
        }
        staged
    }

    fn more(self, mut steps: Vec<PartStep>) {
        let Some(now) = self.count.try_get_untracked() else {
            return;
        };
        if now >= self.parts {
            return;
        }
        // The steps of the part to show next (part `now`), as many as the budget allows.
        let start = crate::ui::browser::now_ms();
        let mut ran = false;
        while let Some((part, mut step)) = steps.pop() {
            if part > now {
                steps.push((part, step));
                break;
            }
            let before = crate::ui::browser::now_ms();
            ran = true;
            if step() {
                steps.push((part, step));
            }
            let t = crate::ui::browser::now_ms();
            if (t - start) + (t - before) >= TASK_BUDGET_MS {
                return next_task(move || self.more(steps));
            }
        }
        // A task that computed shows the part in the next one.
        if !ran {
            self.count.try_set(now + 1);
        }
        next_task(move || self.more(steps));
    }

    /// True once part `k` (from 0) is shown.
    pub fn shown(self, k: usize) -> Memo<bool> {
        let count = self.count;
        Memo::new(move |_| count.get() > k)
    }

    /// True once every part is shown.
    pub fn done(self) -> Memo<bool> {
        self.shown(self.parts.saturating_sub(1))
    }

    /// Shows every part now (before the view is printed or saved).
    pub fn finish(self) {
        if self
            .count
            .try_get_untracked()
            .is_some_and(|n| n < self.parts)
        {
            self.count.try_set(self.parts);
        }
    }
}

/// `part` once `on` is true (see [`Staged::shown`]), nothing before.
pub fn when<V, F>(on: Memo<bool>, part: F) -> impl Fn() -> Option<V> + Send + Sync + 'static
where
    F: Fn() -> V + Send + Sync + 'static,
{
    move || on.get().then(&part)
}

/// Runs `steps` over the next tasks ([`in_tasks`]), then sets `ready`: called in an effect, for
/// what a panel shows of a choice (a product mix, a breakdown) at many customers. `ready` is
/// false meanwhile. The run ends when the effect runs again (its signals are disposed then) or
/// `ready` is disposed.
pub fn ready_after(steps: Vec<Step>, ready: RwSignal<bool>) {
    ready.set(false);
    let done = RwSignal::new(false);
    let mut steps: Vec<Step> = steps
        .into_iter()
        .map(|mut step| -> Step { Box::new(move || ready.try_get_untracked().is_some() && step()) })
        .collect();
    steps.push(Box::new(move || {
        if done.try_get_untracked().is_some() {
            ready.try_set(true);
        }
        false
    }));
    in_tasks(steps, done);
}
