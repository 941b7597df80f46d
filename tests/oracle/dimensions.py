#!/usr/bin/env python3
"""Independent oracle for tests/dimensions_oracle.rs (issue 20): the breakdown of an order file
by its customer attributes, with pandas, written from the rules in the docs of
src/engine/dimensions (not from its code):

- per customer: net sales and profit (returns netted), distinct orders, last purchase day;
- an attribute's value per customer: the cell of its latest line by date, lines of one day in
  file order (the later line wins); an empty cell is the value "" (blank); `changed` counts the
  customers whose lines carry more than one value;
- values shown: the 10 with the most customers (ties: larger sales, then the value's UTF-8
  bytes), the rest merged into "(other)"; "" is shown as "(blank)";
- deciles: customers by sales (rounded to a millionth) descending, ids ascending (UTF-8 bytes),
  cut by numpy.array_split into 10;
- RFM (METHODS §2, 5 bins): R = days from the last purchase to the day after the latest one,
  F = distinct orders, M = net sales; score = min(5, 1 + 5 * w // (n - 1)), w = customers
  strictly worse; segments by the default rule table, first match, else "Other".

Usage: dimensions.py ORDERS.csv customer_col order_col date_col amount_col profit_col ATTR...
Prints JSON: {attr: {"values": [...], "changed": n, "distinct": n, "deciles": {...},
"segments": {...}}}.
"""

import json
import sys

import numpy as np
import pandas as pd

DEFAULT_RULES = [
    ("Champions", (5, 5), (4, 5), (1, 5)),
    ("Loyal Customers", (3, 4), (4, 5), (1, 5)),
    ("Potential Loyalist", (4, 5), (2, 3), (1, 5)),
    ("New Customers", (5, 5), (1, 1), (1, 5)),
    ("Promising", (4, 4), (1, 1), (1, 5)),
    ("Need Attention", (3, 3), (3, 3), (1, 5)),
    ("About to Sleep", (3, 3), (1, 2), (1, 5)),
    ("At Risk", (1, 2), (3, 5), (1, 3)),
    ("Can't Lose Them", (1, 2), (3, 5), (4, 5)),
    ("Hibernating", (2, 2), (1, 2), (1, 5)),
    ("Lost", (1, 1), (1, 2), (1, 5)),
]
TOP = 10


def scores(values, better_is_larger):
    """min(5, 1 + 5 * w // (n - 1)), w = customers strictly worse."""
    n = len(values)
    ranked = values.rank(method="min", ascending=better_is_larger)
    worse = (ranked - 1).astype(int)
    if n == 1:
        return pd.Series(1, index=values.index)
    return np.minimum(5, 1 + 5 * worse // (n - 1))


def segment(r, f, m):
    for name, rr, fr, mr in DEFAULT_RULES:
        if rr[0] <= r <= rr[1] and fr[0] <= f <= fr[1] and mr[0] <= m <= mr[1]:
            return name
    return "Other"


def main():
    path, customer, order, date, amount, profit, *attributes = sys.argv[1:]
    lines = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    lines["line"] = np.arange(len(lines))
    lines[customer] = lines[customer].str.strip()
    lines["_amount"] = lines[amount].astype(float)
    lines["_profit"] = lines[profit].astype(float)
    lines["_date"] = pd.to_datetime(lines[date])
    per = lines.groupby(customer).agg(
        sales=("_amount", "sum"), profit=("_profit", "sum"), orders=(order, "nunique"), last=("_date", "max")
    )
    ids = sorted(per.index, key=lambda s: s.encode("utf-8"))
    per = per.loc[ids]

    # Deciles by sales.
    ranked = per.assign(key=per["sales"].round(6), id_bytes=[s.encode("utf-8") for s in per.index])
    ranked = ranked.sort_values(["key", "id_bytes"], ascending=[False, True])
    decile = {}
    for d, part in enumerate(np.array_split(ranked.index.to_numpy(), 10), start=1):
        for c in part:
            decile[c] = d
    per["decile"] = [decile[c] for c in per.index]

    # RFM on 5 bins and the default segments.
    day = per["last"].max() + pd.Timedelta(days=1)
    recency = (day - per["last"]).dt.days
    r = scores(recency, better_is_larger=False)
    f = scores(per["orders"], better_is_larger=True)
    m = scores(per["sales"].round(6), better_is_larger=True)
    per["segment"] = [segment(a, b, c) for a, b, c in zip(r, f, m)]

    out = {}
    for attribute in attributes:
        ordered = lines.sort_values(["_date", "line"], kind="mergesort")
        latest = ordered.groupby(customer)[attribute].last().str.strip()
        changed = int((lines.groupby(customer)[attribute].agg(lambda s: s.str.strip().nunique()) > 1).sum())
        per["value"] = latest.loc[per.index]
        by_value = per.groupby("value").agg(customers=("sales", "size"), sales=("sales", "sum"), profit=("profit", "sum"))
        order_of = sorted(
            by_value.index,
            key=lambda v: (-by_value.at[v, "customers"], -by_value.at[v, "sales"], v.encode("utf-8")),
        )
        top = order_of[:TOP]
        key = {v: ("(blank)" if v == "" else v) if v in top else "(other)" for v in order_of}
        per["key"] = per["value"].map(key)
        totals = per.groupby("key").agg(customers=("sales", "size"), sales=("sales", "sum"), profit=("profit", "sum"))
        values = [
            {
                "key": k,
                "customers": int(totals.at[k, "customers"]),
                "sales": float(totals.at[k, "sales"]),
                "profit": float(totals.at[k, "profit"]),
                "customer_share": float(totals.at[k, "customers"] / len(per)),
                "sales_share": float(totals.at[k, "sales"] / per["sales"].sum()),
            }
            for k in [key[v] for v in top] + (["(other)"] if len(order_of) > TOP else [])
        ]
        deciles = pd.crosstab(per["decile"], per["key"])
        segments = pd.crosstab(per["segment"], per["key"])
        out[attribute] = {
            "values": values,
            "changed": changed,
            "distinct": len(order_of),
            "deciles": {str(d): {k: int(v) for k, v in deciles.loc[d].items()} for d in deciles.index},
            "segments": {s: {k: int(v) for k, v in segments.loc[s].items()} for s in segments.index},
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
