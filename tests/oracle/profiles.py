#!/usr/bin/env python3
"""Independent oracle for tests/profiles_oracle.rs and tests/e2e/profiles.test.mjs (issue 20):
the customer profiles of an order file with pandas and scipy, written from the rules in the docs
of src/engine/profiles (not from its code):

- per customer: net sales and profit (returns netted), distinct orders, last purchase day; an
  attribute's value is the cell of the customer's latest line by date, lines of one day in file
  order (the later wins), trimmed; an empty cell is the value "" (blank);
- distribution: the 10 values with the most customers (ties: larger sales, then the value's UTF-8
  bytes), the rest merged into "(other)", "" shown as "(blank)"; customers, share of customers,
  share of net sales;
- age bands (kind "age" or "birth_year"): the cell as a float (finite); an age is cut to whole
  years; a birth year must be whole, the age is the year of the latest purchase minus it; below
  0 or above 120 is unknown, as are blanks and non-numbers; bands <25, 25-34, 35-44, 45-54,
  55-64, 65+, unknown;
- correlations over the attributes (ages and years as numbers, others as categories) then
  recency (days from the last purchase to the day after the latest one), frequency (orders),
  monetary (net sales) and profit: scipy.stats.spearmanr for number x number, the bias-corrected
  Cramer's V of Bergsma (2013) from pandas.crosstab and scipy's chi-square for category x
  category, the correlation ratio eta from a groupby for category x number; n = customers with
  both values (a blank category is a value; a non-number is missing).

Usage: profiles.py ORDERS.csv customer order date amount profit NAME=KEY:KIND ...
(KIND: category, age, birth_year). Prints JSON: {"customers": n, "reference_year": y,
"attributes": {KEY: {"values": [...], "bands": {...}}}, "pairs": [{"a", "b", "measure",
"value", "n"}]}.
"""

import json
import math
import sys

import numpy as np
import pandas as pd
from scipy import stats

TOP = 10
BANDS = ["under_25", "25_34", "35_44", "45_54", "55_64", "65_plus", "unknown"]


def number(text):
    try:
        v = float(text.strip())
    except ValueError:
        return None
    return v if math.isfinite(v) and "_" not in text else None


def band(age):
    if age is None or age < 0 or age > 120:
        return "unknown"
    for limit, name in [(25, "under_25"), (35, "25_34"), (45, "35_44"), (55, "45_54"), (65, "55_64")]:
        if age < limit:
            return name
    return "65_plus"


def age_of(text, kind, year):
    v = number(text)
    if v is None:
        return None
    if kind == "age":
        return math.floor(v)
    if v != math.floor(v):
        return None
    return year - v


def spearman(x, y):
    both = x.notna() & y.notna()
    n = int(both.sum())
    if n < 2 or x[both].nunique() < 2 or y[both].nunique() < 2:
        return None, n
    return float(stats.spearmanr(x[both], y[both]).statistic), n


def cramers_v(x, y):
    n = len(x)
    table = pd.crosstab(x, y)
    r, k = table.shape
    if n < 2 or r < 2 or k < 2:
        return None, n
    chi2 = stats.chi2_contingency(table.to_numpy(), correction=False)[0]
    phi2 = chi2 / n
    phi2c = max(0.0, phi2 - (k - 1) * (r - 1) / (n - 1))
    rc = r - (r - 1) ** 2 / (n - 1)
    kc = k - (k - 1) ** 2 / (n - 1)
    d = min(kc - 1, rc - 1)
    if d <= 0:
        return None, n
    return math.sqrt(phi2c / d), n


def eta(codes, values):
    have = values.notna()
    n = int(have.sum())
    v = values[have].astype(float)
    g = codes[have]
    if n < 2 or v.nunique() < 2:
        return None, n
    mean = v.mean()
    total = ((v - mean) ** 2).sum()
    groups = v.groupby(g)
    between = (groups.size() * (groups.mean() - mean) ** 2).sum()
    return math.sqrt(between / total), n


def main():
    path, customer, order, date, amount, profit, *specs = sys.argv[1:]
    lines = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    lines["line"] = np.arange(len(lines))
    lines[customer] = lines[customer].str.strip()
    lines["_amount"] = lines[amount].astype(float)
    lines["_profit"] = lines[profit].astype(float)
    lines["_date"] = pd.to_datetime(lines[date])
    per = lines.groupby(customer).agg(
        sales=("_amount", "sum"), profit=("_profit", "sum"), orders=(order, "nunique"), last=("_date", "max")
    )
    n = len(per)
    year = int(per["last"].max().year)
    ordered = lines.sort_values(["_date", "line"], kind="mergesort")
    attributes = {}
    columns = []
    for spec in specs:
        name, rest = spec.split("=", 1)
        key, kind = rest.split(":")
        value = ordered.groupby(customer)[name].last().str.strip().loc[per.index]
        by_value = pd.DataFrame({"value": value, "sales": per["sales"]}).groupby("value")["sales"].agg(["size", "sum"])
        order_of = sorted(by_value.index, key=lambda v: (-by_value.at[v, "size"], -by_value.at[v, "sum"], v.encode("utf-8")))
        top = order_of[:TOP]
        label = {v: ("(blank)" if v == "" else v) if v in top else "(other)" for v in order_of}
        keyed = value.map(label)
        totals = per.groupby(keyed)["sales"].agg(["size", "sum"])
        values = [
            {
                "key": k,
                "customers": int(totals.at[k, "size"]),
                "customer_share": float(totals.at[k, "size"] / n),
                "sales_share": float(totals.at[k, "sum"] / per["sales"].sum()),
            }
            for k in [label[v] for v in top] + (["(other)"] if len(order_of) > TOP else [])
        ]
        out = {"values": values}
        if kind in ("age", "birth_year"):
            bands = value.map(lambda t: band(age_of(t, kind, year)))
            out["bands"] = {
                b: {
                    "customers": int((bands == b).sum()),
                    "customer_share": float((bands == b).sum() / n),
                    "sales_share": float(per["sales"][bands == b].sum() / per["sales"].sum()),
                }
                for b in BANDS
            }
            columns.append((key, "number", value.map(number).astype(float)))
        else:
            columns.append((key, "category", value))
        attributes[key] = out
    day = per["last"].max() + pd.Timedelta(days=1)
    columns.append(("recency", "number", (day - per["last"]).dt.days.astype(float)))
    columns.append(("frequency", "number", per["orders"].astype(float)))
    columns.append(("monetary", "number", per["sales"].astype(float)))
    columns.append(("profit", "number", per["profit"].astype(float)))
    pairs = []
    for i, (ka, ta, xa) in enumerate(columns):
        for kb, tb, xb in columns[i + 1 :]:
            if ta == "number" and tb == "number":
                measure, (value, m) = "spearman", spearman(xa, xb)
            elif ta == "category" and tb == "category":
                measure, (value, m) = "cramers_v", cramers_v(xa, xb)
            elif ta == "category":
                measure, (value, m) = "eta", eta(xa, xb)
            else:
                measure, (value, m) = "eta", eta(xb, xa)
            pairs.append({"a": ka, "b": kb, "measure": measure, "value": value, "n": m})
    json.dump({"customers": n, "reference_year": year, "attributes": attributes, "pairs": pairs}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
