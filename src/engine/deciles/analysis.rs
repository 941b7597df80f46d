//! Everything at once: the deciles of every basis and the groups ([`analyse_deciles`]).

use super::*;

/// A named figure for tools and tests (`data-metric` / `data-value` in the UI).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Machine name, e.g. `decile_sales_share_1`.
    pub name: String,
    /// The value; `None` when it is not defined for this data.
    pub value: Option<f64>,
}

/// The whole decile analysis of a table ([`analyse_deciles`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecileAnalysis {
    /// Customer deciles by sales.
    pub by_sales: Vec<Decile>,
    /// Customer deciles by profit (`None` without a profit column).
    pub by_profit: Option<Vec<Decile>>,
    /// Value deciles of sales (empty when total sales are not positive).
    pub value_by_sales: Vec<ValueSlice>,
    /// Value deciles of profit (`None` without a profit column).
    pub value_by_profit: Option<Vec<ValueSlice>>,
    /// Lorenz curve, Gini and Pareto point of sales.
    pub lorenz_sales: Lorenz,
    /// The same for profit (`None` without a profit column).
    pub lorenz_profit: Option<Lorenz>,
    /// The customer groups.
    pub groups: Groups,
}

/// Runs every part of the decile analysis, ranking each basis once.
///
/// # Errors
/// [`Error::Parameter`] from [`GroupConfig::validate`]; [`Error::NoData`] without customers.
pub fn analyse_deciles(table: &CustomerTable, config: &GroupConfig) -> Result<DecileAnalysis> {
    DecileSteps::new(table, config)?.finish(table)
}

/// [`analyse_deciles`] in pieces of one pass or one sort over the customers each
/// ([`DecileSteps::step`]), so that the page's thread can do other work between them: at a
/// million customers the whole analysis takes 300 ms there, a piece at most about 30 ms.
/// [`DecileSteps::finish`] computes what is left and gives the analysis, the same to the bit
/// as [`analyse_deciles`] (which is this with no step taken before the finish).
///
/// Every call must be given the same table, unchanged (the pieces computed so far are of it).
pub struct DecileSteps {
    config: GroupConfig,
    /// The table's size when the steps began (a guard: a step on another table does nothing).
    customers: usize,
    /// [`sorted_by_id`] of the table (read once for both rankings, a piece a step).
    by_id: ById,
    sales: BasisSteps,
    /// `None` without a profit column.
    profit: Option<BasisSteps>,
    groups: GroupSteps,
}

/// The pieces of one basis: its ranking, its customer deciles, its value deciles and Lorenz
/// curve.
struct BasisSteps {
    basis: DecileBasis,
    ranking: Ranking,
    /// The customer deciles' sums, a piece at a time.
    cut: Option<DecileCut>,
    deciles: Option<Vec<Decile>>,
    slices: Option<Vec<ValueSlice>>,
    lorenz: Option<Lorenz>,
}

impl BasisSteps {
    fn new(basis: DecileBasis) -> Self {
        BasisSteps {
            basis,
            ranking: Ranking::Start(basis),
            cut: None,
            deciles: None,
            slices: None,
            lorenz: None,
        }
    }

    /// Computes the next piece of this basis; false when none is left.
    fn step(&mut self, table: &CustomerTable, by_id: bool) -> bool {
        if self.ranking.advance(&table.customers, by_id) {
            return true;
        }
        let Some(ranked) = self.ranking.ranked() else {
            return false;
        };
        if self.deciles.is_none() {
            let cut =
                (self.cut).get_or_insert_with(|| DecileCut::new(decile_sizes(ranked.order.len())));
            if cut.step(table, &ranked.order) {
                return true;
            }
            self.deciles = (self.cut.take()).map(|cut| cut.finish(table, &ranked.order));
            return true;
        }
        // The value deciles and the Lorenz curve a piece each (together 30 ms of the page's
        // thread at ten million rows on a slow machine).
        if self.slices.is_none() {
            self.slices = Some(value_slices(ranked));
            return true;
        }
        if self.lorenz.is_none() {
            self.lorenz = Some(lorenz_of(ranked, self.basis));
            return true;
        }
        false
    }

    /// The customer deciles, value deciles and Lorenz curve, once every piece is computed.
    fn finish(self) -> Result<(Vec<Decile>, Vec<ValueSlice>, Lorenz)> {
        match (self.deciles, self.slices, self.lorenz) {
            (Some(deciles), Some(slices), Some(lorenz)) => Ok((deciles, slices, lorenz)),
            _ => Err(Error::NoData),
        }
    }
}

impl DecileSteps {
    /// The steps of the analysis of `table` with `config`; nothing computed yet.
    ///
    /// # Errors
    /// Those of [`analyse_deciles`].
    pub fn new(table: &CustomerTable, config: &GroupConfig) -> Result<DecileSteps> {
        config.validate()?;
        check_basis(table, DecileBasis::Sales)?;
        Ok(DecileSteps {
            config: config.clone(),
            customers: table.customers.len(),
            by_id: ById::default(),
            sales: BasisSteps::new(DecileBasis::Sales),
            profit: (table.columns.profit).then(|| BasisSteps::new(DecileBasis::Profit)),
            groups: GroupSteps::default(),
        })
    }

    /// Computes the next piece; false when none is left (or `table` is not the table the
    /// steps began with: [`DecileSteps::finish`] then computes nothing either). The sales
    /// pieces come first, then the groups (which read the sales ranking), then the profit's.
    pub fn step(&mut self, table: &CustomerTable) -> bool {
        if table.customers.len() != self.customers {
            return false;
        }
        let Some(by_id) = self.by_id.step(&table.customers) else {
            return true;
        };
        if self.sales.step(table, by_id) {
            return true;
        }
        if let Some(sales) = self.sales.ranking.ranked() {
            if self.groups.step(table, &self.config, sales) {
                return true;
            }
            // The sales ranking's every use is computed: it goes before the profit's is made
            // (at 967,209 customers its 11 MB would stay in the page's memory beside the
            // profit ranking's 39 MB while that is sorted).
            self.sales.ranking = Ranking::Spent;
            return true;
        }
        self.profit
            .as_mut()
            .is_some_and(|profit| profit.step(table, by_id))
    }

    /// The analysis: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// Those of [`analyse_deciles`]; [`Error::NoData`] when `table` is not the table the steps
    /// began with.
    pub fn finish(mut self, table: &CustomerTable) -> Result<DecileAnalysis> {
        while self.step(table) {}
        let (by_sales, value_by_sales, lorenz_sales) = self.sales.finish()?;
        let profit = self.profit.map(BasisSteps::finish).transpose()?;
        let (by_profit, value_by_profit, lorenz_profit) = match profit {
            Some((deciles, slices, lorenz)) => (Some(deciles), Some(slices), Some(lorenz)),
            None => (None, None, None),
        };
        Ok(DecileAnalysis {
            by_sales,
            by_profit,
            value_by_sales,
            value_by_profit,
            lorenz_sales,
            lorenz_profit,
            groups: self.groups.finish()?,
        })
    }
}

/// The decile (1 to 10) of every customer of a table by one basis, in the table's order,
/// computed in pieces ([`CustomerDecileSteps::step`]: a pass over the customers or a byte of
/// the sort each, 5–25 ms at a million customers) so that the page's thread can do other work
/// between them: customers ranked as [`rank_customers`] ranks them (largest first, ties by
/// id), cut by [`decile_sizes`]. The breakdowns and the product mix cut their tables by it
/// ([`crate::engine::dimensions`]).
///
/// Every call must be given the same table, unchanged.
pub struct CustomerDecileSteps {
    /// The table's size when the steps began (a guard: a step on another table does nothing).
    customers: usize,
    by_id: ById,
    ranking: Ranking,
}

impl CustomerDecileSteps {
    /// The steps of the deciles of `table` by `basis`; nothing computed yet.
    ///
    /// # Errors
    /// [`Error::NoData`] without customers; [`Error::Parameter`] (`basis`) for the profit basis
    /// without a profit column.
    pub fn new(table: &CustomerTable, basis: DecileBasis) -> Result<CustomerDecileSteps> {
        check_basis(table, basis)?;
        Ok(CustomerDecileSteps {
            customers: table.customers.len(),
            by_id: ById::default(),
            ranking: Ranking::Start(basis),
        })
    }

    /// Computes the next piece; false when none is left but the cut (or `table` is not the
    /// table the steps began with).
    pub fn step(&mut self, table: &CustomerTable) -> bool {
        if table.customers.len() != self.customers {
            return false;
        }
        let Some(by_id) = self.by_id.step(&table.customers) else {
            return true;
        };
        self.ranking.advance(&table.customers, by_id)
    }

    /// Every customer's decile, 1 to 10, in the table's order: the pieces not computed yet are
    /// computed now.
    ///
    /// # Errors
    /// [`Error::NoData`] when `table` is not the table the steps began with.
    pub fn finish(mut self, table: &CustomerTable) -> Result<Vec<u8>> {
        while self.step(table) {}
        let ranked = self.ranking.ranked().ok_or(Error::NoData)?;
        let mut deciles = vec![0u8; ranked.order.len()];
        let mut at = 0;
        for (decile, size) in (1u8..).zip(decile_sizes(ranked.order.len())) {
            for &index in ranked.order.get(at..at + size).unwrap_or_default() {
                if let Some(d) = deciles.get_mut(index) {
                    *d = decile;
                }
            }
            at += size;
        }
        Ok(deciles)
    }
}

/// The decile analysis of the customers `chosen` (ascending indices into `table`) as they
/// stand in the whole table, given `sub`, the table of the chosen customers in the same order
/// (the filter's "keep the global scores", [`crate::engine::dimensions::filter`]):
/// - **customer deciles** are those of the whole table: decile *k* holds the chosen customers
///   of the whole table's decile *k* (so a decile may hold none), with their sales, profit and
///   orders; shares are of the chosen customers' totals;
/// - **groups** are those of the whole table (its thresholds, periods and low-margin limit),
///   keeping their chosen members, as indices into `sub`;
/// - the **value deciles** and the **Lorenz curve** describe how the chosen customers' own
///   sales and profit are spread (a curve has no "global" form).
///
/// # Errors
/// Those of [`analyse_deciles`] on `table`; [`Error::NoData`] when no customer is chosen or
/// `sub` does not hold one customer per chosen index.
pub fn analyse_deciles_within(
    table: &CustomerTable,
    chosen: &[usize],
    sub: &CustomerTable,
    config: &GroupConfig,
) -> Result<DecileAnalysis> {
    DecileWithinSteps::new(table, chosen, sub, config)?.finish(table, chosen, sub)
}

/// [`analyse_deciles_within`] in pieces of one pass or one sort over the customers each
/// ([`DecileWithinSteps::step`]), as [`DecileSteps`] is [`analyse_deciles`]: the whole table's
/// sales ranking, its groups and its profit ranking, then the chosen customers' own rankings;
/// [`DecileWithinSteps::finish`] keeps the chosen customers (a pass over the whole ranking) and
/// gives the analysis, the same to the bit as computing it at once.
///
/// Every call must be given the same tables, unchanged.
pub struct DecileWithinSteps {
    config: GroupConfig,
    /// The tables' sizes when the steps began (a guard: a step on other tables does nothing).
    customers: usize,
    chosen: usize,
    by_id: ById,
    own_by_id: ById,
    sales: Ranking,
    /// `None` without a profit column (in both tables).
    profit: Option<Ranking>,
    own_sales: Ranking,
    own_profit: Option<Ranking>,
    groups: GroupSteps,
}

impl DecileWithinSteps {
    /// The steps of the analysis of the customers `chosen` (ascending indices into `table`),
    /// whose table is `sub`; nothing computed yet.
    ///
    /// # Errors
    /// Those of [`analyse_deciles_within`] found before any ranking: the parameters, no
    /// customers, none chosen or `sub` not of the chosen customers' size.
    pub fn new(
        table: &CustomerTable,
        chosen: &[usize],
        sub: &CustomerTable,
        config: &GroupConfig,
    ) -> Result<DecileWithinSteps> {
        config.validate()?;
        check_basis(table, DecileBasis::Sales)?;
        if chosen.is_empty() || sub.customers.len() != chosen.len() {
            return Err(Error::NoData);
        }
        let ranking = |on: bool| on.then_some(Ranking::Start(DecileBasis::Profit));
        Ok(DecileWithinSteps {
            config: config.clone(),
            customers: table.customers.len(),
            chosen: chosen.len(),
            by_id: ById::default(),
            own_by_id: ById::default(),
            sales: Ranking::Start(DecileBasis::Sales),
            profit: ranking(table.columns.profit),
            own_sales: Ranking::Start(DecileBasis::Sales),
            own_profit: ranking(sub.columns.profit),
            groups: GroupSteps::default(),
        })
    }

    /// Computes the next piece; false when none is left (or the tables are not those the steps
    /// began with: [`DecileWithinSteps::finish`] then gives [`Error::NoData`]).
    pub fn step(&mut self, table: &CustomerTable, sub: &CustomerTable) -> bool {
        if table.customers.len() != self.customers || sub.customers.len() != self.chosen {
            return false;
        }
        let Some(by_id) = self.by_id.step(&table.customers) else {
            return true;
        };
        if self.sales.advance(&table.customers, by_id) {
            return true;
        }
        let Some(sales) = self.sales.ranked() else {
            return false;
        };
        if self.groups.step(table, &self.config, sales) {
            return true;
        }
        if let Some(profit) = &mut self.profit {
            if profit.advance(&table.customers, by_id) {
                return true;
            }
        }
        let Some(own_by_id) = self.own_by_id.step(&sub.customers) else {
            return true;
        };
        if self.own_sales.advance(&sub.customers, own_by_id) {
            return true;
        }
        self.own_profit
            .as_mut()
            .is_some_and(|profit| profit.advance(&sub.customers, own_by_id))
    }

    /// The analysis: the pieces not computed yet are computed now.
    ///
    /// # Errors
    /// Those of [`analyse_deciles_within`]; [`Error::NoData`] when the tables are not those
    /// the steps began with.
    pub fn finish(
        mut self,
        table: &CustomerTable,
        chosen: &[usize],
        sub: &CustomerTable,
    ) -> Result<DecileAnalysis> {
        while self.step(table, sub) {}
        if table.customers.len() != self.customers || chosen.len() != self.chosen {
            return Err(Error::NoData);
        }
        // Each customer's place among the chosen ones.
        let mut place = vec![usize::MAX; table.customers.len()];
        for (p, &index) in chosen.iter().enumerate() {
            if let Some(slot) = place.get_mut(index) {
                *slot = p;
            }
        }
        let position = |index: usize| place.get(index).copied().filter(|&p| p != usize::MAX);
        // The whole table's deciles of one basis, kept for the chosen customers.
        let kept = |ranked: &Ranked| {
            let mut order = Vec::with_capacity(chosen.len());
            let mut sizes = [0; DECILES];
            let mut at = 0;
            for (size, kept) in decile_sizes(ranked.order.len()).into_iter().zip(&mut sizes) {
                for &index in ranked.order.get(at..at + size).unwrap_or_default() {
                    if let Some(p) = position(index) {
                        order.push(p);
                        *kept += 1;
                    }
                }
                at += size;
            }
            deciles_sized(sub, &order, sizes)
        };
        let done = |ranking: Ranking| match ranking {
            Ranking::Done(ranked) => Ok(ranked),
            _ => Err(Error::NoData),
        };
        let sales = done(self.sales)?;
        let profit = self.profit.map(done).transpose()?;
        let own_sales = done(self.own_sales)?;
        let own_profit = self.own_profit.map(done).transpose()?;
        let mut groups = self.groups.finish()?;
        for members in [
            &mut groups.retain,
            &mut groups.grow,
            &mut groups.declining,
            &mut groups.transaction,
        ] {
            *members = members.iter().filter_map(|&i| position(i)).collect();
        }
        // The whole table's groups' sales are not the chosen members'.
        groups.member_sales = None;
        Ok(DecileAnalysis {
            by_sales: kept(&sales),
            by_profit: profit.as_ref().map(kept),
            value_by_sales: value_slices(&own_sales),
            value_by_profit: own_profit.as_ref().map(value_slices),
            lorenz_sales: lorenz_of(&own_sales, DecileBasis::Sales),
            lorenz_profit: own_profit
                .as_ref()
                .map(|p| lorenz_of(p, DecileBasis::Profit)),
            groups,
        })
    }
}

impl DecileAnalysis {
    /// The figures for automation, in this order: `gini` and `pareto80_customer_share` (of
    /// sales), `decile_sales_share_1` … `_10` (share of total sales of each decile by sales),
    /// `decile_profit_share_1` … `_10` (share of total profit of each decile by profit),
    /// `group_retain`, `group_grow`, `group_declining`, `group_transaction` (customer counts).
    /// A figure is `None` when it is undefined (zero total, no profit column, group not computed).
    pub fn figures(&self) -> Vec<Figure> {
        let figure = |name: String, value: Option<f64>| Figure { name, value };
        let mut figures = vec![
            figure("gini".into(), self.lorenz_sales.gini),
            figure(
                "pareto80_customer_share".into(),
                self.lorenz_sales.pareto80_customer_share,
            ),
        ];
        for (k, decile) in self.by_sales.iter().enumerate() {
            figures.push(figure(
                format!("decile_sales_share_{}", k + 1),
                decile.sales_share,
            ));
        }
        for k in 0..DECILES {
            let share = self
                .by_profit
                .as_ref()
                .and_then(|deciles| deciles.get(k))
                .and_then(|d| d.profit_share);
            figures.push(figure(format!("decile_profit_share_{}", k + 1), share));
        }
        for kind in GroupKind::ALL {
            let count = (self.groups.status_of(kind) == GroupStatus::Computed)
                .then(|| self.groups.members(kind).len() as f64);
            figures.push(figure(format!("group_{}", kind.as_str()), count));
        }
        figures
    }
}
