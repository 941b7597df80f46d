"""Independent oracle for the lifecycle analysis (issue 14), written from METHODS.md section 7
with pandas, not from the Rust code. Prints one JSON object.

    python lifecycle.py INPUT FORMAT [--grain month|quarter|year] [--cohort-grain month|quarter]
                        [--returns-activity] [--include-partial]

FORMAT: `csv` (customer,order,date,amount[,quantity], ISO dates) or `cdnow` (the CDNOW master
file: whitespace-aligned customer, yyyymmdd date, CDs, dollars; no order id, so every line is
an order).

The rules, as METHODS section 7 and issue 14 state them:
- the analysis day is the day after the latest date; the data covers first date .. analysis day;
- a customer is active in a period with at least one line that is not a return (amount >= 0),
  or any line when returns count as activity;
- new = first activity ever in the period; retention(p) = active in p-1 and p / active in p-1;
  churn = 1 - retention; revenue retention = sales in p of p-1's active customers / their
  sales in p-1; repeat rate = share of p's active customers with >= 2 orders in p (an order
  counts on the date of its first line, and only when that date is one of the customer's
  activity dates); reactivated = active in p, not in p-1, active before; lost = active in p-1,
  not in p;
- a period the data covers only in part is partial: its rates, and the comparison rates of the
  period after it, are left out (null) unless --include-partial;
- cohort = period of first activity; cell k = share of the cohort active in period cohort + k;
  null when that period starts on or after the analysis day (not observed), or is partial;
- inter-purchase gaps: days between consecutive activity dates of a customer, pooled;
  quantiles by pandas' default (linear).
"""

import json
import math
import sys

import pandas as pd

FREQ = {"month": "M", "quarter": "Q", "year": "Y"}


def load(path, fmt):
    if fmt == "cdnow":
        df = pd.read_csv(
            path,
            sep=r"\s+",
            header=None,
            skiprows=1,
            names=["customer", "date", "quantity", "amount"],
            dtype={"customer": str, "date": str},
        )
        df["order"] = range(len(df))  # no order id: every line is an order
    else:
        df = pd.read_csv(path, dtype={"customer": str, "order": str, "date": str})
    df["date"] = pd.to_datetime(df["date"], format="ISO8601" if fmt == "csv" else "%Y%m%d")
    df["line"] = range(len(df))
    return df


def name(period):
    """Periods as the workbench writes them: 2024-01, 2024-Q1, 2024."""
    return str(period).replace("Q", "-Q")


def nan_to_none(value):
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def main():
    args = sys.argv[1:]
    path, fmt = args[0], args[1]
    option = lambda name, default: args[args.index(name) + 1] if name in args else default
    grain = option("--grain", "month")
    cohort_grain = option("--cohort-grain", "month")
    returns_activity = "--returns-activity" in args
    include_partial = "--include-partial" in args

    df = load(path, fmt)
    first_day = df["date"].min()
    analysis_day = df["date"].max() + pd.Timedelta(days=1)

    df["activity"] = True if returns_activity else df["amount"] >= 0
    active_dates = df.loc[df["activity"], ["customer", "date"]].drop_duplicates()

    # Orders: the first line of each (customer, order), kept when its date is an activity date.
    orders = df.sort_values("line").drop_duplicates(["customer", "order"], keep="first")
    orders = orders.merge(active_dates, on=["customer", "date"], how="inner")

    def is_partial(period):
        return period.start_time < first_day or period.end_time.normalize() + pd.Timedelta(days=1) > analysis_day

    freq = FREQ[grain]
    df["period"] = df["date"].dt.to_period(freq)
    active_dates = active_dates.assign(period=active_dates["date"].dt.to_period(freq))
    orders = orders.assign(period=orders["date"].dt.to_period(freq))
    periods = pd.period_range(first_day.to_period(freq), (analysis_day - pd.Timedelta(days=1)).to_period(freq), freq=freq)

    actives = active_dates.groupby("period")["customer"].agg(lambda s: set(s))
    first_activity = active_dates.groupby("customer")["date"].min().dt.to_period(freq)
    sales = df.groupby(["period", "customer"])["amount"].sum()
    order_counts = orders.groupby(["period", "customer"]).size()

    rows = []
    for i, p in enumerate(periods):
        now = actives.get(p, set())
        new = set(first_activity[first_activity == p].index)
        own_out = is_partial(p) and not include_partial
        n_orders = order_counts.get(p, pd.Series(dtype=int))
        repeat = sum(1 for c in now if n_orders.get(c, 0) >= 2)
        row = {
            "period": name(p),
            "partial": bool(is_partial(p)),
            "active": len(now),
            "new": len(new & now),
            "repeat_rate": None if own_out or not now else repeat / len(now),
            "returning": None,
            "reactivated": None,
            "lost": None,
            "retention": None,
            "churn": None,
            "revenue_retention": None,
        }
        if i > 0:
            q = periods[i - 1]
            before = actives.get(q, set())
            ever_before = set(first_activity[first_activity < p].index)
            row["returning"] = len(now & before)
            row["reactivated"] = len((now - before - new) & ever_before)
            row["lost"] = len(before - now)
            out = (is_partial(p) or is_partial(q)) and not include_partial
            if before and not out:
                row["retention"] = len(now & before) / len(before)
                row["churn"] = 1 - row["retention"]
                base = sales.get(q, pd.Series(dtype=float)).reindex(list(before)).fillna(0).sum()
                kept = sales.get(p, pd.Series(dtype=float)).reindex(list(before)).fillna(0).sum()
                row["revenue_retention"] = None if abs(base) < 1e-9 else kept / base
        rows.append(row)

    # Cohorts.
    cfreq = FREQ[cohort_grain]
    cohort_of = active_dates.groupby("customer")["date"].min().dt.to_period(cfreq)
    cells = active_dates.assign(period=active_dates["date"].dt.to_period(cfreq))
    cells = cells.assign(cohort=cells["customer"].map(cohort_of))
    cells = cells.assign(k=(cells["period"] - cells["cohort"]).apply(lambda d: d.n))
    counts = cells.drop_duplicates(["customer", "k"]).groupby(["cohort", "k"]).size()
    sizes = cohort_of.value_counts().sort_index()
    last = (analysis_day - pd.Timedelta(days=1)).to_period(cfreq)
    span = (last - first_day.to_period(cfreq)).n + 1
    cohorts = []
    for cohort, size in sizes.items():
        shares = []
        for k in range(span):
            period = cohort + k
            if period.start_time >= analysis_day or (is_partial(period) and not include_partial):
                shares.append(None)
            else:
                shares.append(counts.get((cohort, k), 0) / size)
        cohorts.append({"cohort": name(cohort), "size": int(size), "shares": shares})

    # Inter-purchase gaps.
    gaps = (
        active_dates.sort_values(["customer", "date"])
        .groupby("customer")["date"]
        .diff()
        .dropna()
        .dt.days
    )
    quantiles = gaps.quantile([0.25, 0.5, 0.75, 0.9]) if len(gaps) else None

    print(
        json.dumps(
            {
                "customers": int(df["customer"].nunique()),
                "analysis_day": str(analysis_day.date()),
                "periods": rows,
                "cohorts": cohorts,
                "gaps": {
                    "count": int(len(gaps)),
                    "q1": nan_to_none(quantiles[0.25]) if quantiles is not None else None,
                    "median": nan_to_none(quantiles[0.5]) if quantiles is not None else None,
                    "q3": nan_to_none(quantiles[0.75]) if quantiles is not None else None,
                    "p90": nan_to_none(quantiles[0.9]) if quantiles is not None else None,
                },
            }
        )
    )


if __name__ == "__main__":
    main()
