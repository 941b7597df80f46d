//! The text of an SQL pack: the statements in order, each a `CREATE OR REPLACE TEMPORARY VIEW`
//! (both dialects take it), with the comments that explain them.

use std::fmt::Write as _;

use super::*;

/// Days since 1970-01-01 beyond which a double keeps no fraction (2⁵³): the engine's keys use
/// the scaled value as it is there.
const EXACT_LIMIT: &str = "9007199254740992e0";

pub(super) struct Script<'a> {
    source: &'a SqlSource,
    params: &'a SqlParams,
    d: Dialect,
    order: bool,
    date: bool,
    profit: bool,
    quantity: bool,
    out: String,
    views: Vec<&'static str>,
}

impl<'a> Script<'a> {
    pub(super) fn new(source: &'a SqlSource, params: &'a SqlParams, d: Dialect) -> Self {
        let m = &source.mapping;
        Script {
            source,
            params,
            d,
            order: m.order.is_some(),
            date: m.date.is_some(),
            profit: m.profit.is_some(),
            quantity: m.quantity.is_some(),
            out: String::new(),
            views: Vec::new(),
        }
    }

    pub(super) fn write(mut self) -> SqlPack {
        self.header();
        self.source_view();
        self.lines();
        self.totals();
        if self.date {
            self.monthly();
        }
        self.ranking("sales");
        if self.profit {
            self.ranking("profit");
        }
        if self.date && self.profit {
            self.declining();
        }
        if self.profit {
            self.transaction();
        }
        self.customers();
        self.deciles();
        if self.date {
            self.rfm();
        }
        self.headline();
        SqlPack {
            dialect: self.d,
            text: self.out,
            views: self.views,
        }
    }

    fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn comment(&mut self, text: &str) {
        for line in text.lines() {
            if line.is_empty() {
                self.line("--");
            } else {
                self.line(&format!("-- {line}"));
            }
        }
    }

    /// A view: its comment, then `CREATE OR REPLACE TEMPORARY VIEW name AS` and `body;`.
    fn view(&mut self, name: &'static str, public: bool, about: &str, body: &str) {
        self.line("");
        self.comment(about);
        self.line(&format!("CREATE OR REPLACE TEMPORARY VIEW {name} AS"));
        self.line(&format!("{};", body.trim_end()));
        if public {
            self.views.push(name);
        }
    }

    /// `value × steps` rounded, as a DOUBLE sort key like the engine's `snapped` (the scaled
    /// value as it is beyond 2⁵³; `+ 0e0` turns `-0` into `0`).
    fn snapped(&self, value: &str, steps: &str) -> String {
        format!(
            "(CASE WHEN ABS(({value}) * {steps}) < {EXACT_LIMIT} THEN ROUND(({value}) * {steps}) ELSE ({value}) * {steps} END + 0e0)"
        )
    }

    /// `value × 10⁶` rounded to a 64-bit integer: the engine's key of amounts.
    fn amount_key(&self, value: &str) -> String {
        format!("CAST(ROUND(({value}) * 1e6) AS BIGINT)")
    }

    fn analysis_day(&self, day: Option<Day>) -> String {
        match day {
            Some(day) => format!("CAST({} AS BIGINT)", day.epoch_days()),
            None => "(SELECT MAX(last_day) + 1 FROM vl_customer_totals)".to_string(),
        }
    }

    fn header(&mut self) {
        let d = self.d;
        let name = match d {
            Dialect::DuckDb => "DuckDB",
            Dialect::Spark => "Spark SQL",
        };
        let p = self.params;
        let mut text = String::new();
        let _ = writeln!(
            text,
            "ValueLens SQL pack ({name}): the analyses of ValueLens"
        );
        let _ = writeln!(
            text,
            "on a table of order lines, with the same answers as the app."
        );
        text.push('\n');
        text.push_str("What it computes (temporary views of this session):\n");
        text.push_str("  vl_lines      the accepted order lines (ids trimmed; a line without customer id or\n");
        text.push_str(
            "                amount, or without a mapped date, profit or order id, is dropped)\n",
        );
        text.push_str("  vl_customers  one row per customer: order_lines, orders (distinct order ids, or lines\n");
        text.push_str(
            "                without an order column), return_lines, sales and profit (returns\n",
        );
        text.push_str(
            "                netted), quantity, first/last purchase; sales_rank, sales_decile\n",
        );
        text.push_str("                (1 = largest, 10 equal groups, ties by customer id), sales_value_slice\n");
        text.push_str(
            "                (1 = the customers who make the first 10 % of sales; NULL after the\n",
        );
        text.push_str(
            "                total is reached); the same by profit; retain, grow, declining,\n",
        );
        text.push_str("                transaction (the decile groups; NULL where not computed)\n");
        text.push_str(
            "  vl_deciles    the ten customer deciles by sales (and by profit): customers, sales,\n",
        );
        text.push_str(
            "                profit, orders, shares, cumulative shares, average order value, margin\n",
        );
        if self.date {
            text.push_str(
                "  vl_monthly    net sales and profit per customer and month (long table)\n",
            );
            text.push_str("  vl_rfm        recency_days, frequency, monetary, scores r, f, m, value tier and\n");
            text.push_str(
                "                segment (first matching rule; 'Other' when none matches)\n",
            );
        } else {
            text.push_str("  (no vl_monthly and no vl_rfm: the mapping has no date column)\n");
        }
        text.push_str(
            "  vl_headline   the headline figures: lines, customers, orders, sales, profit ...\n",
        );
        text.push('\n');
        text.push_str("How to run:\n");
        for line in d.how_to_run() {
            let _ = writeln!(text, "  {line}");
        }
        text.push_str("Then e.g. SELECT * FROM vl_customers ORDER BY sales_rank\n");
        text.push('\n');
        text.push_str(
            "Parameters (written into the statements below; regenerate to change them):\n",
        );
        let g = &p.groups;
        let day =
            |day: Option<Day>| day.map_or("the day after the latest purchase".to_string(), iso);
        let _ = writeln!(
            text,
            "  groups: retain the first {} of sales, grow {} to {} of sales,",
            g.retain_sales_share, g.grow_from_share, g.grow_to_share
        );
        let _ = writeln!(
            text,
            "          declining: {} months vs the {} before, sales down by at least {},",
            g.period_months, g.period_months, g.decline_threshold
        );
        let _ = writeln!(text, "          analysis day {},", day(g.analysis_day));
        let _ = writeln!(
            text,
            "          transaction: margin in the lowest {} margin decile(s), at most {} order(s)",
            g.transaction_margin_decile, g.transaction_max_orders
        );
        let _ = writeln!(
            text,
            "  RFM: {} bins, M = {}, analysis day {} (must not lie before the",
            p.rfm.bins,
            p.rfm.monetary.as_str(),
            day(p.rfm.analysis_day)
        );
        text.push_str(
            "       latest purchase: the app refuses that, this SQL does not check it)\n",
        );
        let _ = writeln!(
            text,
            "  segments: {} rules on a 1-{} scale, first match wins",
            p.segments.rules.len(),
            p.segments.scale
        );
        text.push_str("Amounts are ranked rounded to a millionth (64-bit keys: up to about 9e12 per customer).\n");
        self.comment(&text);
    }

    fn source_view(&mut self) {
        let d = self.d;
        let s = self.source;
        let column = |index: Option<usize>| index.map(|i| d.ident(&s.name(i)));
        let [customer, order, date, amount, profit, quantity] = s.columns().map(column);
        let text = d.text_type();
        let mut body = String::from("SELECT\n");
        let mut field = |expr: Option<String>, cast: &str, alias: &str, role: &str| {
            let expr = expr.unwrap_or_else(|| "NULL".to_string());
            let _ = writeln!(body, "  CAST({expr} AS {cast}) AS {alias},  -- {role}");
        };
        field(customer, text, "customer_raw", "customer id (required)");
        field(order, text, "order_raw", "order id (NULL: none mapped)");
        field(
            date,
            "DATE",
            "purchase_date",
            "order date (NULL: none mapped)",
        );
        field(
            amount,
            "DOUBLE",
            "amount",
            "amount, negative for returns (required)",
        );
        field(profit, "DOUBLE", "profit", "profit (NULL: none mapped)");
        field(
            quantity,
            "DOUBLE",
            "quantity",
            "quantity (NULL: none mapped)",
        );
        // The last comma before the comment goes.
        if let Some(at) = body.rfind(",  --") {
            body.replace_range(at..at + 1, " ");
        }
        let _ = write!(body, "FROM {}", d.table(&s.table));
        self.line("");
        self.comment(
            "=====================================================================================\n\
             THE SOURCE: edit the table name (FROM) and the column names here, nothing else.\n\
             The date column must be a DATE or TIMESTAMP (or ISO text), amounts numeric.\n\
             =====================================================================================",
        );
        self.line("CREATE OR REPLACE TEMPORARY VIEW vl_source AS");
        self.line(&format!("{body};"));
    }

    fn lines(&mut self) {
        let d = self.d;
        let marker = |column: &str| {
            format!(
                "CASE WHEN substr({column}, 1, 1) = {quote} AND substr({column}, 2, 1) IN ('=', '+', '-', '@', chr(9), chr(13), chr(10)) THEN substr({column}, 2) ELSE {column} END",
                quote = d.string("'")
            )
        };
        let max = double(f64::MAX);
        let mut keep = vec![
            "customer_trim <> ''".to_string(),
            format!("ABS(amount) <= {max}"),
        ];
        if self.order {
            keep.push("order_trim <> ''".into());
        }
        if self.date {
            keep.push("purchase_date IS NOT NULL".into());
        }
        if self.profit {
            keep.push(format!("ABS(profit) <= {max}"));
        }
        if self.quantity {
            keep.push(format!("(quantity IS NULL OR ABS(quantity) <= {max})"));
        }
        let epoch = d.epoch_days("purchase_date");
        let body = format!(
            "SELECT\n  {customer} AS customer_id,\n  {order} AS order_id,\n  purchase_date,\n  {epoch} AS day_number,\n  \
             CAST(year(purchase_date) AS INT) AS purchase_year,\n  CAST(month(purchase_date) AS INT) AS purchase_month,\n  \
             amount,\n  profit,\n  quantity\n\
             FROM (\n  SELECT TRIM(customer_raw) AS customer_trim, TRIM(order_raw) AS order_trim,\n    \
             CAST(purchase_date AS DATE) AS purchase_date, amount, profit, quantity\n  FROM vl_source\n) AS src\n\
             WHERE {}",
            keep.join("\n  AND "),
            customer = marker("customer_trim"),
            order = marker("order_trim"),
        );
        self.view(
            "vl_lines",
            true,
            "The accepted order lines, by the import's rules.",
            &body,
        );
    }

    fn totals(&mut self) {
        let orders = if self.order {
            "COUNT(DISTINCT order_id)"
        } else {
            "COUNT(*)"
        };
        let profit = if self.profit {
            "SUM(profit)"
        } else {
            "CAST(0 AS DOUBLE)"
        };
        let quantity = if self.quantity {
            "COALESCE(SUM(quantity), CAST(0 AS DOUBLE))"
        } else {
            "CAST(0 AS DOUBLE)"
        };
        let body = format!(
            "SELECT\n  customer_id,\n  CAST(COUNT(*) AS BIGINT) AS order_lines,\n  CAST({orders} AS BIGINT) AS orders,\n  \
             CAST(SUM(CASE WHEN amount < 0 THEN 1 ELSE 0 END) AS BIGINT) AS return_lines,\n  \
             SUM(amount) AS sales,\n  {profit} AS profit,\n  {quantity} AS quantity,\n  \
             MIN(day_number) AS first_day,\n  MAX(day_number) AS last_day\n\
             FROM vl_lines\nGROUP BY customer_id"
        );
        self.view(
            "vl_customer_totals",
            false,
            "Per customer: returns netted; orders are distinct order ids, or lines.",
            &body,
        );
    }

    fn monthly(&mut self) {
        let profit = if self.profit {
            "SUM(profit)"
        } else {
            "CAST(0 AS DOUBLE)"
        };
        let body = format!(
            "SELECT\n  customer_id,\n  make_date(purchase_year, purchase_month, 1) AS month,\n  \
             purchase_year * 12 + purchase_month - 1 AS month_number,\n  SUM(amount) AS sales,\n  {profit} AS profit\n\
             FROM vl_lines\nGROUP BY customer_id, purchase_year, purchase_month"
        );
        self.view(
            "vl_monthly",
            true,
            "Net sales and profit per customer and calendar month, a long table:\n\
             month is the month's first day, month_number year * 12 + month - 1.",
            &body,
        );
    }

    /// `vl_rank_<basis>`: position, decile, value slice (and for sales the retain and grow
    /// groups).
    fn ranking(&mut self, basis: &'static str) {
        let d = self.d;
        let key = self.amount_key(basis);
        let zero_rule = "(total > 0 AND NOT (ABS(total) < 1e-9 OR ABS(total) <= 1e-9 * magnitude))";
        let cut = |share: f64| format!("{} * total - 1e-9 * magnitude", double(share));
        let mut slice = format!("  CASE WHEN {zero_rule} THEN CASE\n");
        for k in 1..=10 {
            let share = k as f64 / 10.0;
            let _ = writeln!(slice, "    WHEN prev_max < {} THEN {k}", cut(share));
        }
        slice.push_str("  END END AS value_slice");
        let mut groups = String::new();
        if basis == "sales" {
            let g = &self.params.groups;
            let _ = write!(
                groups,
                ",\n  CASE WHEN {zero_rule} THEN prev_max < {} END AS retain,\n  \
                 CASE WHEN {zero_rule} THEN prev_max < {} AND run_max > {} * total + 1e-9 * magnitude END AS grow",
                cut(g.retain_sales_share),
                cut(g.grow_to_share),
                double(g.grow_from_share),
            );
        }
        let name: &'static str = match basis {
            "sales" => "vl_rank_sales",
            _ => "vl_rank_profit",
        };
        let _ = d;
        let body = format!(
            "SELECT\n  customer_id, position, decile,\n{slice}{groups}\n\
             FROM (\n  SELECT c.*,\n    \
             GREATEST(CAST(0 AS DOUBLE), COALESCE(MAX(cumulative) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), CAST(0 AS DOUBLE))) AS prev_max,\n    \
             GREATEST(CAST(0 AS DOUBLE), MAX(cumulative) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) AS run_max\n  \
             FROM (\n    SELECT b.*,\n      \
             SUM(value) OVER (ORDER BY position ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative,\n      \
             SUM(value) OVER () AS total,\n      SUM(ABS(value)) OVER () AS magnitude\n    \
             FROM (\n      SELECT customer_id, value,\n        \
             ROW_NUMBER() OVER (ORDER BY value_key DESC, customer_id) AS position,\n        \
             NTILE(10) OVER (ORDER BY value_key DESC, customer_id) AS decile\n      \
             FROM (SELECT customer_id, {basis} + 0e0 AS value, {key} AS value_key FROM vl_customer_totals) AS a\n    \
             ) AS b\n  ) AS c\n) AS r"
        );
        let about = format!(
            "Customers ranked by {basis} (largest first; equal values, compared in millionths, by\n\
             customer id): position, decile (NTILE(10): sizes as numpy.array_split), and the value\n\
             slice: k when the cumulative {basis} before the customer is below k/10 of the total\n\
             (within 1e-9 of the sum of magnitudes); NULL when the total is not positive."
        );
        self.view(name, false, &about, &body);
    }

    fn declining(&mut self) {
        let d = self.d;
        let g = &self.params.groups;
        let months = i64::from(g.period_months);
        let day = self.analysis_day(g.analysis_day);
        let before = d.date_of("analysis_day - 1");
        let keep = double(1.0 - g.decline_threshold);
        let body = format!(
            "SELECT m.customer_id,\n  \
             COALESCE(SUM(CASE WHEN m.month_number BETWEEN p.latest_last - {latest_back} AND p.latest_last THEN m.sales END), CAST(0 AS DOUBLE)) AS latest_sales,\n  \
             COALESCE(SUM(CASE WHEN m.month_number BETWEEN p.latest_last - {latest_back} AND p.latest_last THEN m.profit END), CAST(0 AS DOUBLE)) AS latest_profit,\n  \
             COALESCE(SUM(CASE WHEN m.month_number BETWEEN p.latest_last - {previous_back} AND p.latest_last - {months} THEN m.sales END), CAST(0 AS DOUBLE)) AS previous_sales\n\
             FROM vl_monthly AS m\nCROSS JOIN (\n  \
             SELECT CAST(year(last_date) AS BIGINT) * 12 + CAST(month(last_date) AS BIGINT) - 1 AS latest_last\n  \
             FROM (SELECT {before} AS last_date FROM (SELECT {day} AS analysis_day) AS a) AS b\n) AS p\n\
             GROUP BY m.customer_id",
            latest_back = months - 1,
            previous_back = 2 * months - 1,
        );
        self.view(
            "vl_periods",
            false,
            "Declining: sales and profit in the latest period (the whole months ending with the\n\
             month of the day before the analysis day) and in the same number of months before.",
            &body,
        );
        let body = format!(
            "SELECT customer_id,\n  previous_sales > 1e-9 AND latest_profit > 1e-9\n  \
             AND latest_sales <= {keep} * previous_sales + 1e-9 * ABS(previous_sales) AS declining\n\
             FROM vl_periods"
        );
        self.view("vl_declining", false, "Declining customers.", &body);
    }

    fn transaction(&mut self) {
        let d = self.d;
        let g = &self.params.groups;
        let decile = i64::from(g.transaction_margin_decile);
        let margin = self.snapped("profit / sales", "1e9");
        let count = format!(
            "{decile} * {} + LEAST({decile}, margins % 10)",
            d.div("margins", "10")
        );
        let body = format!(
            "SELECT t.customer_id,\n  \
             COALESCE(m.margin_key <= m.margin_limit AND t.orders <= {max_orders}, FALSE) AS transaction\n\
             FROM vl_customer_totals AS t\nLEFT JOIN (\n  \
             SELECT customer_id, margin_key,\n    \
             MAX(CASE WHEN margin_position = {count} THEN margin_key END) OVER () AS margin_limit\n  \
             FROM (\n    SELECT customer_id, margin_key,\n      \
             ROW_NUMBER() OVER (ORDER BY margin_key) AS margin_position,\n      \
             COUNT(*) OVER () AS margins\n    \
             FROM (SELECT customer_id, {margin} AS margin_key FROM vl_customer_totals WHERE sales >= 1e-9) AS a\n  \
             ) AS b\n) AS m ON m.customer_id = t.customer_id",
            max_orders = g.transaction_max_orders,
        );
        self.view(
            "vl_transaction",
            false,
            "Transaction customers: margin (profit / sales, customers with positive sales,\n\
             compared in billionths) at most the highest margin of the lowest margin decile(s),\n\
             and few orders.",
            &body,
        );
    }

    /// `vl_deciles`: the ten customer deciles of each basis with their sums and shares.
    fn deciles(&mut self) {
        let zero = |value: &str, magnitude: &str| {
            format!("(ABS({value}) < 1e-9 OR ABS({value}) <= 1e-9 * {magnitude})")
        };
        let share = |part: &str, total: &str, magnitude: &str| {
            format!(
                "CASE WHEN NOT {} THEN {part} / {total} END",
                zero(total, magnitude)
            )
        };
        let profit_share = |part: &str| match self.profit {
            true => share(part, "g.total_profit", "g.profit_magnitude"),
            false => "CAST(NULL AS DOUBLE)".to_string(),
        };
        let margin = match self.profit {
            true => format!(
                "CASE WHEN customers > 0 AND NOT {} THEN profit / sales END",
                zero("sales", "part_magnitude")
            ),
            false => "CAST(NULL AS DOUBLE)".to_string(),
        };
        let mut bases = vec!["sales"];
        if self.profit {
            bases.push("profit");
        }
        let parts = bases
            .iter()
            .map(|basis| {
                format!(
                    "    SELECT '{basis}' AS basis, r.decile, COUNT(*) AS customers, SUM(t.sales) AS sales,\n      \
                     SUM(ABS(t.sales)) AS part_magnitude, SUM(t.profit) AS profit, SUM(t.orders) AS orders\n    \
                     FROM vl_rank_{basis} AS r JOIN vl_customer_totals AS t ON t.customer_id = r.customer_id\n    \
                     GROUP BY r.decile"
                )
            })
            .collect::<Vec<_>>()
            .join("\n    UNION ALL\n");
        let grid = bases
            .iter()
            .map(|basis| format!("    SELECT '{basis}' AS basis, decile FROM ten"))
            .collect::<Vec<_>>()
            .join("\n    UNION ALL\n");
        let tens = (1..=10)
            .map(|k| format!("SELECT {k} AS decile"))
            .collect::<Vec<_>>()
            .join(" UNION ALL ");
        let body = format!(
            "WITH ten AS ({tens}),\n\
             parts AS (\n  SELECT k.basis, k.decile,\n    \
             CAST(COALESCE(p.customers, 0) AS BIGINT) AS customers,\n    \
             COALESCE(p.sales, CAST(0 AS DOUBLE)) AS sales,\n    \
             COALESCE(p.part_magnitude, CAST(0 AS DOUBLE)) AS part_magnitude,\n    \
             COALESCE(p.profit, CAST(0 AS DOUBLE)) AS profit,\n    \
             CAST(COALESCE(p.orders, 0) AS BIGINT) AS orders\n  \
             FROM (\n{grid}\n  ) AS k\n  LEFT JOIN (\n{parts}\n  ) AS p ON p.basis = k.basis AND p.decile = k.decile\n),\n\
             totals AS (\n  SELECT COUNT(*) AS n, SUM(sales) AS total_sales, SUM(ABS(sales)) AS sales_magnitude,\n    \
             SUM(profit) AS total_profit, SUM(ABS(profit)) AS profit_magnitude\n  FROM vl_customer_totals\n),\n\
             running AS (\n  SELECT parts.*,\n    \
             SUM(customers) OVER (PARTITION BY basis ORDER BY decile ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_customers,\n    \
             SUM(sales) OVER (PARTITION BY basis ORDER BY decile ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_sales,\n    \
             SUM(profit) OVER (PARTITION BY basis ORDER BY decile ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cumulative_profit\n  \
             FROM parts\n)\n\
             SELECT basis, decile, customers, cumulative_customers,\n  \
             CAST(cumulative_customers AS DOUBLE) / g.n AS cumulative_customer_share,\n  \
             sales, profit, orders,\n  \
             {sales_share} AS sales_share,\n  {profit_share} AS profit_share,\n  \
             {cumulative_sales_share} AS cumulative_sales_share,\n  {cumulative_profit_share} AS cumulative_profit_share,\n  \
             CASE WHEN orders = 0 THEN CAST(0 AS DOUBLE) ELSE sales / orders END AS average_order_value,\n  \
             {margin} AS margin\n\
             FROM running CROSS JOIN totals AS g",
            sales_share = share("sales", "g.total_sales", "g.sales_magnitude"),
            profit_share = profit_share("profit"),
            cumulative_sales_share = share("cumulative_sales", "g.total_sales", "g.sales_magnitude"),
            cumulative_profit_share = profit_share("cumulative_profit"),
        );
        self.view(
            "vl_deciles",
            true,
            "The customer deciles of each basis (sales, and profit when mapped): ten rows each, the\n\
             empty ones of fewer than ten customers included; shares of the signed totals, NULL\n\
             when a total is zero (within 1e-9 of the sum of magnitudes).",
            &body,
        );
    }

    fn customers(&mut self) {
        let d = self.d;
        let date = |column: &str| {
            if self.date {
                d.date_of(&format!("t.{column}"))
            } else {
                "CAST(NULL AS DATE)".to_string()
            }
        };
        let (first, last) = (date("first_day"), date("last_day"));
        let mut select = format!(
            "SELECT\n  t.customer_id, t.order_lines, t.orders, t.return_lines, t.sales, t.profit, t.quantity,\n  \
             {first} AS first_purchase,\n  {last} AS last_purchase,\n  \
             s.position AS sales_rank, s.decile AS sales_decile, s.value_slice AS sales_value_slice,\n"
        );
        let mut from = String::from(
            "FROM vl_customer_totals AS t\nJOIN vl_rank_sales AS s ON s.customer_id = t.customer_id\n",
        );
        if self.profit {
            select.push_str(
                "  p.position AS profit_rank, p.decile AS profit_decile, p.value_slice AS profit_value_slice,\n",
            );
            from.push_str("JOIN vl_rank_profit AS p ON p.customer_id = t.customer_id\n");
        } else {
            select.push_str(
                "  CAST(NULL AS BIGINT) AS profit_rank, CAST(NULL AS INT) AS profit_decile, CAST(NULL AS INT) AS profit_value_slice,\n",
            );
        }
        select.push_str("  s.retain, s.grow,\n");
        if self.date && self.profit {
            select.push_str("  x.declining,\n");
            from.push_str("JOIN vl_declining AS x ON x.customer_id = t.customer_id\n");
        } else {
            select.push_str("  CAST(NULL AS BOOLEAN) AS declining,\n");
        }
        if self.profit {
            select.push_str("  y.transaction\n");
            from.push_str("JOIN vl_transaction AS y ON y.customer_id = t.customer_id\n");
        } else {
            select.push_str("  CAST(NULL AS BOOLEAN) AS transaction\n");
        }
        let body = format!("{select}{}", from.trim_end());
        self.view(
            "vl_customers",
            true,
            "One row per customer: the aggregates, deciles, value slices and decile groups.",
            &body,
        );
    }

    fn rfm(&mut self) {
        let d = self.d;
        let p = self.params;
        let bins = i64::from(p.rfm.bins);
        let day = match p.rfm.analysis_day {
            // The engine refuses an analysis day before the latest purchase: so does the SQL.
            Some(given) => format!(
                "CASE WHEN {day} < (SELECT MAX(last_day) FROM vl_customer_totals) THEN {raise} ELSE {day} END",
                day = self.analysis_day(Some(given)),
                raise = d.raise(&format!(
                    "ValueLens: the RFM analysis day {} lies before the latest purchase",
                    given.iso()
                )),
            ),
            None => self.analysis_day(None),
        };
        let m = monetary_expr(p.rfm.monetary);
        let key = self.amount_key("monetary");
        let score = |rank: &str| {
            format!(
                "CASE WHEN n <= 1 THEN 1 ELSE LEAST({bins}, 1 + {}) END",
                d.div(&format!("{bins} * ({rank} - 1)"), "n - 1")
            )
        };
        let (low_to, high_from) = tiers(p.rfm.bins);
        let rules = &p.segments;
        let (mut number, mut name_en, mut name_zh) = (String::new(), String::new(), String::new());
        for (i, rule) in rules.rules.iter().enumerate() {
            let sets =
                [rule.r, rule.f, rule.m].map(|range| scores_in(range, p.rfm.bins, rules.scale));
            if sets.iter().any(Vec::is_empty) {
                continue;
            }
            let list = |set: &Vec<u8>| set.iter().map(u8::to_string).collect::<Vec<_>>().join(", ");
            let when = format!(
                "WHEN r IN ({}) AND f IN ({}) AND m IN ({})",
                list(&sets[0]),
                list(&sets[1]),
                list(&sets[2])
            );
            let _ = writeln!(number, "    {when} THEN {}", i + 1);
            let _ = writeln!(name_en, "    {when} THEN {}", d.string(&rule.name_en));
            let _ = writeln!(name_zh, "    {when} THEN {}", d.string(rule.display_zh()));
        }
        let (other_en, other_zh) = other_names();
        let body = format!(
            "SELECT customer_id, recency_days, frequency, monetary, r, f, m, r + f + m AS rfm_total,\n  \
             CASE WHEN r + f + m >= {high_from} THEN 'high' WHEN r + f + m <= {low_to} THEN 'low' ELSE 'medium' END AS tier,\n  \
             CASE\n{number}    ELSE 0 END AS segment_number,\n  \
             CASE\n{name_en}    ELSE {} END AS segment_en,\n  \
             CASE\n{name_zh}    ELSE {} END AS segment_zh\n\
             FROM (\n  SELECT customer_id, recency_days, frequency, monetary,\n    \
             {r} AS r,\n    {f} AS f,\n    {mm} AS m\n  \
             FROM (\n    SELECT customer_id, recency_days, frequency, monetary,\n      \
             RANK() OVER (ORDER BY recency_days DESC) AS r_rank,\n      \
             RANK() OVER (ORDER BY frequency) AS f_rank,\n      \
             RANK() OVER (ORDER BY monetary_key) AS m_rank,\n      \
             COUNT(*) OVER () AS n\n    \
             FROM (\n      SELECT customer_id, recency_days, frequency, monetary, {key} AS monetary_key\n      \
             FROM (\n        SELECT customer_id, a.analysis_day - last_day AS recency_days, orders AS frequency,\n          \
             ({m}) + 0e0 AS monetary\n        \
             FROM vl_customer_totals CROSS JOIN (SELECT {day} AS analysis_day) AS a\n        \
             WHERE last_day IS NOT NULL\n      ) AS v\n    ) AS k\n  ) AS w\n) AS s",
            d.string(other_en),
            d.string(other_zh),
            r = score("r_rank"),
            f = score("f_rank"),
            mm = score("m_rank"),
        );
        let about = format!(
            "RFM (recency, frequency, monetary): R days from the last purchase to the analysis day,\n\
             F orders, M {}; score = min(bins, 1 + bins * worse div (n - 1)), worse = customers\n\
             with a strictly worse value (ties never split). Tier from r + f + m: low up to {low_to},\n\
             high from {high_from}. Segment: the first rule whose ranges (on the 1-{} scale) hold the\n\
             scores; 0 / '{other_en}' when none does.",
            p.rfm.monetary.as_str(),
            rules.scale,
        );
        self.view("vl_rfm", true, &about, &body);
    }

    fn headline(&mut self) {
        let d = self.d;
        let profit = if self.profit {
            "SUM(profit)"
        } else {
            "CAST(NULL AS DOUBLE)"
        };
        let (first, last) = if self.date {
            (d.date_of("MIN(first_day)"), d.date_of("MAX(last_day)"))
        } else {
            ("CAST(NULL AS DATE)".into(), "CAST(NULL AS DATE)".into())
        };
        let body = format!(
            "SELECT order_lines, return_lines, customers, orders, total_sales, total_profit, repeat_customers,\n  \
             first_day, last_day,\n  \
             CASE WHEN orders = 0 THEN CAST(0 AS DOUBLE) ELSE total_sales / orders END AS average_order_value,\n  \
             CASE WHEN customers = 0 THEN CAST(0 AS DOUBLE) ELSE CAST(repeat_customers AS DOUBLE) / customers END AS repeat_rate,\n  \
             CASE WHEN ABS(total_sales) >= 1e-9 THEN total_profit / total_sales END AS margin\n\
             FROM (\n  SELECT\n    CAST(COALESCE(SUM(order_lines), 0) AS BIGINT) AS order_lines,\n    \
             CAST(COALESCE(SUM(return_lines), 0) AS BIGINT) AS return_lines,\n    \
             CAST(COUNT(*) AS BIGINT) AS customers,\n    \
             CAST(COALESCE(SUM(orders), 0) AS BIGINT) AS orders,\n    \
             COALESCE(SUM(sales), CAST(0 AS DOUBLE)) AS total_sales,\n    {profit} AS total_profit,\n    \
             CAST(COALESCE(SUM(CASE WHEN orders >= 2 THEN 1 ELSE 0 END), 0) AS BIGINT) AS repeat_customers,\n    \
             {first} AS first_day,\n    {last} AS last_day\n  FROM vl_customer_totals\n) AS h"
        );
        self.view("vl_headline", true, "The headline figures, one row.", &body);
    }
}
