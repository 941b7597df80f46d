//! Respondents joined to the customers on the id (关联订单客户): a merge of the two id lists,
//! both ascending (the table's customers are sorted by id, the respondents too), in pieces
//! ([`JoinSteps`]) so that the page can take it a task at a time. A list that is not ascending
//! (not made by this crate) is joined through a sorted copy of its indices, never by a search
//! per respondent.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use super::Survey;
use crate::engine::customers::CustomerTable;

/// Survey respondents joined to the customer table on the id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SurveyJoin {
    /// For each respondent (in [`Survey::respondents`] order): the index of its customer in
    /// the table, `None` for a respondent without orders.
    pub customer_of: Vec<Option<usize>>,
    /// For each customer of the table: the index of its respondent, `None` without a response.
    pub respondent_of: Vec<Option<usize>>,
    /// Respondents found in the table.
    pub matched: usize,
    /// Respondents not in the table (prospects or wrong ids), by index, ids ascending.
    pub unmatched: Vec<usize>,
    /// Customers of the table without a response.
    pub customers_without_response: usize,
    /// `matched` ÷ respondents; `None` without respondents.
    pub match_rate: Option<f64>,
    /// `matched` ÷ customers of the table (how much of the base the survey covers); `None`
    /// without customers.
    pub coverage: Option<f64>,
}

/// Ids compared a step: each step of [`JoinSteps`] compares at most this many (about 10 ms
/// natively at a million customers).
const PIECE: usize = 200_000;

/// The order of one side of the join: its own (ascending) or sorted indices.
enum Order {
    /// Checked ascending up to here.
    Checking(usize),
    /// Ascending.
    Own,
    /// Not ascending: the indices by id.
    Sorted(Vec<usize>),
}

impl Order {
    /// The index at position `at` of the ascending order.
    fn at(&self, at: usize) -> usize {
        match self {
            Order::Sorted(indices) => indices.get(at).copied().unwrap_or(usize::MAX),
            _ => at,
        }
    }

    /// Checks up to `budget` more neighbours of `ids` (sorting the indices when two are out of
    /// order); the comparisons made, or `None` once the order is known.
    fn check<'a>(
        &mut self,
        ids: impl Fn(usize) -> &'a str,
        len: usize,
        budget: usize,
    ) -> Option<usize> {
        let Order::Checking(from) = *self else {
            return None;
        };
        let to = from.saturating_add(budget).min(len);
        let ascending = (from.max(1)..to).all(|i| ids(i - 1) <= ids(i));
        *self = if !ascending {
            let mut indices: Vec<usize> = (0..len).collect();
            indices.sort_by(|&a, &b| ids(a).cmp(ids(b)).then(a.cmp(&b)));
            Order::Sorted(indices)
        } else if to >= len {
            Order::Own
        } else {
            Order::Checking(to)
        };
        Some(to - from)
    }
}

/// [`join`] in pieces of at most [`PIECE`] comparisons ([`JoinSteps::step`]). Every call must
/// be given the same survey and table, unchanged (a call with others starts again).
pub struct JoinSteps {
    /// The sizes the steps began with.
    customers: usize,
    respondents: usize,
    customer_order: Order,
    respondent_order: Order,
    /// The next position in each order.
    at_customer: usize,
    at_respondent: usize,
    /// Comparisons a step ([`PIECE`]; fewer in tests).
    piece: usize,
    customer_of: Vec<Option<usize>>,
    respondent_of: Vec<Option<usize>>,
}

impl JoinSteps {
    /// The join of `survey` and `table`; nothing compared yet.
    pub fn new(survey: &Survey, table: &CustomerTable) -> JoinSteps {
        JoinSteps {
            customers: table.customers.len(),
            respondents: survey.respondents.len(),
            customer_order: Order::Checking(0),
            respondent_order: Order::Checking(0),
            at_customer: 0,
            at_respondent: 0,
            piece: PIECE,
            customer_of: vec![None; survey.respondents.len()],
            respondent_of: vec![None; table.customers.len()],
        }
    }

    /// [`JoinSteps::new`] comparing `piece` ids a step.
    #[cfg(test)]
    pub(crate) fn with_piece(survey: &Survey, table: &CustomerTable, piece: usize) -> JoinSteps {
        JoinSteps {
            piece: piece.max(1),
            ..JoinSteps::new(survey, table)
        }
    }

    fn is_of(&self, survey: &Survey, table: &CustomerTable) -> bool {
        self.customers == table.customers.len() && self.respondents == survey.respondents.len()
    }

    /// Compares the next piece; false when nothing is left (or `survey` and `table` are not
    /// those the steps began with).
    pub fn step(&mut self, survey: &Survey, table: &CustomerTable) -> bool {
        if !self.is_of(survey, table) {
            return false;
        }
        let customer = |i: usize| table.customers.get(i).map_or("", |c| c.id.as_str());
        let respondent = |k: usize| survey.respondents.get(k).map_or("", |r| r.id.as_str());
        let mut budget = self.piece;
        if let Some(done) = self.customer_order.check(customer, self.customers, budget) {
            budget = budget.saturating_sub(done);
        }
        if let Some(done) = self
            .respondent_order
            .check(respondent, self.respondents, budget)
        {
            budget = budget.saturating_sub(done);
        }
        if matches!(self.customer_order, Order::Checking(_))
            || matches!(self.respondent_order, Order::Checking(_))
        {
            return true;
        }
        while budget > 0
            && self.at_customer < self.customers
            && self.at_respondent < self.respondents
        {
            budget -= 1;
            let c = self.customer_order.at(self.at_customer);
            let k = self.respondent_order.at(self.at_respondent);
            match customer(c).cmp(respondent(k)) {
                Ordering::Less => self.at_customer += 1,
                Ordering::Greater => self.at_respondent += 1,
                // The next respondent may have the same id (not in a survey this crate
                // combined): it is matched to the same customer, the last one kept.
                Ordering::Equal => {
                    if let Some(slot) = self.respondent_of.get_mut(c) {
                        *slot = Some(k);
                    }
                    if let Some(slot) = self.customer_of.get_mut(k) {
                        *slot = Some(c);
                    }
                    self.at_respondent += 1;
                }
            }
        }
        self.at_customer < self.customers && self.at_respondent < self.respondents
    }

    /// The join: the pieces not compared yet are compared now.
    pub fn finish(mut self, survey: &Survey, table: &CustomerTable) -> SurveyJoin {
        if !self.is_of(survey, table) {
            self = JoinSteps::new(survey, table);
        }
        while self.step(survey, table) {}
        let JoinSteps {
            customer_of,
            respondent_of,
            ..
        } = self;
        let unmatched: Vec<usize> = (0..customer_of.len())
            .filter(|&k| customer_of.get(k).is_some_and(Option::is_none))
            .collect();
        let matched = customer_of.len() - unmatched.len();
        let customers = table.customers.len();
        let ratio = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
        SurveyJoin {
            matched,
            customers_without_response: customers.saturating_sub(matched),
            match_rate: ratio(matched, customer_of.len()),
            coverage: ratio(matched, customers),
            customer_of,
            respondent_of,
            unmatched,
        }
    }
}

/// Joins respondents to the table's customers by exact id: O(n + m) for the ascending lists
/// this crate makes, O(n log n + m log m) for others.
pub fn join(survey: &Survey, table: &CustomerTable) -> SurveyJoin {
    JoinSteps::new(survey, table).finish(survey, table)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::engine::survey::{import_survey, SurveyOptions};
    use crate::engine::test_support::{aggregate, xorshift};

    /// The join written plainly: every respondent looked up in a map of the ids.
    fn plain(survey: &Survey, table: &CustomerTable) -> SurveyJoin {
        let index: HashMap<&str, usize> = table
            .customers
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.as_str(), i))
            .collect();
        let mut respondent_of = vec![None; table.customers.len()];
        let customer_of: Vec<Option<usize>> = survey
            .respondents
            .iter()
            .map(|r| index.get(r.id.as_str()).copied())
            .collect();
        for (k, c) in customer_of.iter().enumerate() {
            if let Some(c) = c {
                respondent_of[*c] = Some(k);
            }
        }
        let unmatched: Vec<usize> = (0..customer_of.len())
            .filter(|&k| customer_of[k].is_none())
            .collect();
        let matched = customer_of.len() - unmatched.len();
        let ratio = |part: usize, whole: usize| (whole > 0).then(|| part as f64 / whole as f64);
        SurveyJoin {
            matched,
            customers_without_response: table.customers.len() - matched,
            match_rate: ratio(matched, customer_of.len()),
            coverage: ratio(matched, table.customers.len()),
            customer_of,
            respondent_of,
            unmatched,
        }
    }

    fn shuffle<T>(items: &mut [T], next: &mut impl FnMut() -> u64) {
        for i in (1..items.len()).rev() {
            items.swap(i, (next() % (i as u64 + 1)) as usize);
        }
    }

    #[test]
    fn the_merge_is_the_join_written_plainly_in_any_order_and_pieces() {
        let mut next = xorshift(0x5eed_1e57);
        for round in 0..40 {
            let customers = (next() % 300) as usize;
            let respondents = (next() % 300) as usize;
            // Ids of different lengths and a non-ASCII one, so that the text order is not the
            // numbers' order.
            let id = |n: u64| match n % 4 {
                0 => format!("C{n}"),
                1 => format!("C{n:05}"),
                2 => format!("客户{n}"),
                _ => format!("c-{n}"),
            };
            let mut orders = String::from("customer,order,date,amount\n");
            for _ in 0..customers {
                let n = next() % 400;
                orders.push_str(&format!(
                    "{},{},2024-01-0{},10\n",
                    id(n),
                    next(),
                    1 + next() % 9
                ));
            }
            let mut survey_text = String::from("customer,satisfaction\n");
            for _ in 0..respondents {
                survey_text.push_str(&format!("{},{}\n", id(next() % 400), 1 + next() % 5));
            }
            let (mut table, _) = aggregate(&orders, false);
            let survey = import_survey(survey_text.as_bytes(), &SurveyOptions::default());
            let Ok(mut survey) = survey else {
                assert_eq!(respondents, 0, "round {round}");
                continue;
            };
            // Orders this crate does not make: shuffled tables and respondents.
            if round % 3 == 1 {
                shuffle(&mut table.customers, &mut next);
            }
            if round % 4 == 2 {
                shuffle(&mut survey.respondents, &mut next);
            }
            let expected = plain(&survey, &table);
            assert_eq!(join(&survey, &table), expected, "round {round}");
            for piece in [1, 2, 7, 64] {
                let mut steps = JoinSteps::with_piece(&survey, &table, piece);
                let mut calls = 0;
                while steps.step(&survey, &table) {
                    calls += 1;
                    assert!(calls < 10_000, "round {round}: the steps end");
                }
                assert_eq!(
                    steps.finish(&survey, &table),
                    expected,
                    "round {round}, piece {piece}"
                );
            }
        }
    }

    #[test]
    fn steps_given_another_table_start_again() {
        let (table, _) = aggregate(
            "customer,order,date,amount\nA,1,2024-01-01,5\nB,2,2024-01-02,6\n",
            false,
        );
        let (other, _) = aggregate("customer,order,date,amount\nB,1,2024-01-01,5\n", false);
        let survey = import_survey(
            b"customer,satisfaction\nB,4\nZ,2\n",
            &SurveyOptions::default(),
        )
        .unwrap();
        let mut steps = JoinSteps::with_piece(&survey, &table, 1);
        steps.step(&survey, &table);
        assert!(
            !steps.step(&survey, &other),
            "a step on another table does nothing"
        );
        assert_eq!(steps.finish(&survey, &other), plain(&survey, &other));
    }
}
