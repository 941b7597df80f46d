#!/usr/bin/env python3
"""Independent oracle for tests/lines_oracle.rs (issue 20): line attributes and the product mix
of an order file, with pandas, written from the rules in the docs of
src/engine/dimensions/lines.rs (not from its code):

- per (customer, value) pair that occurs: net sales and profit of the customer's lines with
  that value (returns netted in) and the distinct orders having such a line;
- the mix: values by net sales descending (ties: more customers, then the value's UTF-8 bytes),
  the top 10 shown, the rest merged into "(other)", "" shown as "(blank)"; per value the
  customers with a line of it and its sales and share of all sales;
- per sales decile and RFM segment (as tests/oracle/dimensions.py computes them): each value's
  share of the group's sales, its index = group share / base share * 100, and the customers of
  the group with a line of it.

Usage: lines.py ORDERS.csv customer_col order_col date_col amount_col profit_col LINE_COL
Prints JSON: {"pairs": [[customer, value, sales, profit, orders], ...], "values": [...],
"deciles": {"1": {key: {"share", "index", "customers"}}}, "segments": {...}}.
"""

import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dimensions import TOP, scores, segment  # noqa: E402


def main():
    path, customer, order, date, amount, profit, column = sys.argv[1:]
    lines = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    lines[customer] = lines[customer].str.strip()
    lines[column] = lines[column].str.strip()
    lines["_amount"] = lines[amount].astype(float)
    lines["_profit"] = lines[profit].astype(float)
    lines["_date"] = pd.to_datetime(lines[date])

    pairs = lines.groupby([customer, column]).agg(
        sales=("_amount", "sum"), profit=("_profit", "sum"), orders=(order, "nunique")
    )
    pair_list = [[c, v, float(r.sales), float(r.profit), int(r.orders)] for (c, v), r in pairs.iterrows()]

    per = lines.groupby(customer).agg(
        sales=("_amount", "sum"), orders=(order, "nunique"), last=("_date", "max")
    )
    ranked = per.assign(key=per["sales"].round(6), id_bytes=[s.encode("utf-8") for s in per.index])
    ranked = ranked.sort_values(["key", "id_bytes"], ascending=[False, True])
    decile = {}
    for d, part in enumerate(np.array_split(ranked.index.to_numpy(), 10), start=1):
        for c in part:
            decile[c] = str(d)
    day = per["last"].max() + pd.Timedelta(days=1)
    r = scores((day - per["last"]).dt.days, better_is_larger=False)
    f = scores(per["orders"], better_is_larger=True)
    m = scores(per["sales"].round(6), better_is_larger=True)
    seg = {c: segment(a, b, x) for c, a, b, x in zip(per.index, r, f, m)}

    by_value = lines.groupby(column).agg(sales=("_amount", "sum"), customers=(customer, "nunique"))
    order_of = sorted(
        by_value.index,
        key=lambda v: (-by_value.at[v, "sales"], -by_value.at[v, "customers"], v.encode("utf-8")),
    )
    top = order_of[:TOP]
    key = {v: ("(blank)" if v == "" else v) if v in top else "(other)" for v in order_of}
    lines["_key"] = lines[column].map(key)
    total = lines["_amount"].sum()
    base = lines.groupby("_key")["_amount"].sum() / total
    keys = [key[v] for v in top] + (["(other)"] if len(order_of) > TOP else [])
    values = [
        {
            "key": k,
            "customers": int(lines.loc[lines["_key"] == k, customer].nunique()),
            "sales": float(lines.loc[lines["_key"] == k, "_amount"].sum()),
            "share": float(base[k]),
        }
        for k in keys
    ]

    def groups(of):
        lines["_group"] = lines[customer].map(of)
        out = {}
        for g, part in lines.groupby("_group"):
            group_sales = part["_amount"].sum()
            cells = {}
            for k in keys:
                mine = part[part["_key"] == k]
                share = mine["_amount"].sum() / group_sales
                cells[k] = {
                    "share": float(share),
                    "index": float(share / base[k] * 100),
                    "customers": int(mine[customer].nunique()),
                }
            out[g] = cells
        return out

    # A filter on the first value by sales: the customers with a line of it, their sales per
    # decile when re-scored on those lines (deciles of the matching sales, ties by id bytes)
    # and when the global deciles are kept (their whole sales per global decile).
    chosen_value = order_of[0]
    mine = pairs.xs(chosen_value, level=column)
    rescored = mine.assign(key=mine["sales"].round(6), id_bytes=[c.encode("utf-8") for c in mine.index])
    rescored = rescored.sort_values(["key", "id_bytes"], ascending=[False, True])
    rescored_deciles = [
        float(mine.loc[part, "sales"].sum()) for part in np.array_split(rescored.index.to_numpy(), 10)
    ]
    kept_deciles = [
        float(sum(per.at[c, "sales"] for c in mine.index if decile[c] == str(d))) for d in range(1, 11)
    ]
    line_filter = {
        "value": chosen_value,
        "customers": int(len(mine)),
        "rescored_deciles": rescored_deciles,
        "kept_deciles": kept_deciles,
    }

    json.dump(
        {
            "pairs": pair_list,
            "values": values,
            "deciles": groups(decile),
            "segments": groups(seg),
            "filter": line_filter,
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main()
