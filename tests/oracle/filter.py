#!/usr/bin/env python3
"""Independent oracle for tests/filter_oracle.rs (issue 20): the filter of an order file by
the values of one customer attribute, in both modes, with pandas, written from the rules in the
docs of src/engine/dimensions/filter.rs (not from its code):

- per customer: net sales and profit, distinct orders, last purchase day; the attribute's value
  is the cell of its latest line by date, lines of one day in file order (as dimensions.py);
- the chosen customers: those whose value is one of the chosen ("" for blank cells);
- deciles: customers by sales (rounded to a millionth) descending, ids ascending (UTF-8 bytes),
  cut by numpy.array_split into 10. "keep": the deciles of all customers, then the chosen
  customers counted per decile; "rescore": the chosen customers alone cut into 10;
- RFM (5 bins, default segments; scores and segments as in dimensions.py). "keep": scored among
  all customers, analysis day the day after the latest purchase of all; "rescore": scored among
  the chosen customers, analysis day the day after their latest purchase.

Usage: filter.py ORDERS.csv customer_col order_col date_col amount_col profit_col ATTR_col
       CASES_JSON (a list of lists of chosen values)
Prints JSON: [{"values": [...], "population": N, "chosen": n, "modes": {"keep"|"rescore":
{"deciles": [{"customers": c, "sales": s, "profit": p}] * 10, "segments": {name: count}}}}].
"""

import json
import os
import sys

import numpy as np
import pandas as pd

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dimensions import scores, segment  # noqa: E402  (the RFM rules, shared by both oracles)


def deciles_of(per):
    """Decile (1-10) of every customer of `per` among `per`."""
    ranked = per.assign(key=per["sales"].round(6), id_bytes=[s.encode("utf-8") for s in per.index])
    ranked = ranked.sort_values(["key", "id_bytes"], ascending=[False, True])
    decile = {}
    for d, part in enumerate(np.array_split(ranked.index.to_numpy(), 10), start=1):
        for c in part:
            decile[c] = d
    return pd.Series([decile[c] for c in per.index], index=per.index)


def segments_of(per):
    """Default-rule segment of every customer of `per`, scored among `per`."""
    day = per["last"].max() + pd.Timedelta(days=1)
    recency = (day - per["last"]).dt.days
    r = scores(recency, better_is_larger=False)
    f = scores(per["orders"], better_is_larger=True)
    m = scores(per["sales"].round(6), better_is_larger=True)
    return pd.Series([segment(a, b, c) for a, b, c in zip(r, f, m)], index=per.index)


def tables(chosen, decile, segment_of):
    deciles = []
    for d in range(1, 11):
        part = chosen[decile.loc[chosen.index] == d]
        deciles.append(
            {"customers": int(len(part)), "sales": float(part["sales"].sum()), "profit": float(part["profit"].sum())}
        )
    segments = segment_of.loc[chosen.index].value_counts()
    return {"deciles": deciles, "segments": {k: int(v) for k, v in segments.items()}}


def main():
    path, customer, order, date, amount, profit, attribute, cases = sys.argv[1:]
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
    ordered = lines.sort_values(["_date", "line"], kind="mergesort")
    per["value"] = ordered.groupby(customer)[attribute].last().str.strip().loc[per.index]

    global_deciles = deciles_of(per)
    global_segments = segments_of(per)
    out = []
    for values in json.loads(cases):
        chosen = per[per["value"].isin(values)]
        modes = {"keep": tables(chosen, global_deciles, global_segments)}
        if len(chosen):
            modes["rescore"] = tables(chosen, deciles_of(chosen), segments_of(chosen))
        out.append({"values": values, "population": int(len(per)), "chosen": int(len(chosen)), "modes": modes})
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
