#!/usr/bin/env python3
"""Independent oracle for tests/master_oracle.rs and tests/e2e/master.test.mjs (issue 20): a
customer master file joined onto an order file, with pandas, written from the rules in the docs
of src/engine/master (not from its code):

- an id is normalised: full-width ASCII U+FF01-U+FF5E as ASCII, U+3000 as a space, trimmed of
  white space, a leading ' before = + - @ removed, ASCII letters in lower case;
- the master's first row is its header; a row whose normalised id is empty is rejected; a row
  whose normalised id an earlier kept row has is a duplicate (the first wins);
- order customers are the distinct trimmed ids of the order file; matched = those whose
  normalised id is a kept master id, unmatched = the others, match rate = matched / customers;
  prospects = kept master rows whose normalised id no order customer has;
- the breakdown by a master column: per value (unmatched customers blank, ""), the order
  customers and their net sales.

Usage: master.py ORDERS.csv MASTER.csv customer_col amount_col master_id_col master_attr_col
Prints JSON: {"rows", "rejected", "duplicates", "duplicate_lines", "matched", "unmatched",
"match_rate", "prospects", "unmatched_ids", "prospect_ids", "breakdown": {value: {"customers",
"sales"}}}.
"""

import json
import sys

import pandas as pd


def normalize(text):
    half = "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else (" " if c == "\u3000" else c)
        for c in text
    )
    half = half.strip()
    if half.startswith("'") and half[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n") and len(half) > 1:
        half = half[1:]
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in half)


def main():
    orders_path, master_path, customer_col, amount_col, id_col, attr_col = sys.argv[1:7]
    orders = pd.read_csv(orders_path, dtype=str, keep_default_na=False)
    orders["cid"] = orders[customer_col].str.strip()
    orders["amount"] = pd.to_numeric(orders[amount_col])
    customers = orders.groupby("cid", sort=True)["amount"].sum().reset_index()
    customers.columns = ["cid", "sales"]

    master = pd.read_csv(master_path, dtype=str, keep_default_na=False)
    master["line"] = master.index + 2
    master["norm"] = master[id_col].map(normalize)
    rejected = master[master["norm"] == ""]
    valid = master[master["norm"] != ""]
    dup_mask = valid["norm"].duplicated(keep="first")
    duplicates = valid[dup_mask]
    kept = valid[~dup_mask]

    customers["norm"] = customers["cid"].map(normalize)
    joined = customers.merge(kept[["norm", attr_col]], on="norm", how="left", indicator=True)
    matched = joined["_merge"] == "both"
    joined[attr_col] = joined[attr_col].where(matched, "")
    prospects = kept[~kept["norm"].isin(set(customers["norm"]))]

    breakdown = joined.groupby(attr_col).agg(customers=("cid", "size"), sales=("sales", "sum"))
    out = {
        "rows": int(len(kept)),
        "rejected": int(len(rejected)),
        "duplicates": int(len(duplicates)),
        "duplicate_lines": [int(x) for x in duplicates["line"]],
        "matched": int(matched.sum()),
        "unmatched": int((~matched).sum()),
        "match_rate": float(matched.sum() / len(customers)),
        "prospects": int(len(prospects)),
        "unmatched_ids": sorted(joined.loc[~matched, "cid"].tolist()),
        "prospect_ids": prospects[id_col].str.strip().tolist(),
        "breakdown": {
            str(v): {"customers": int(r["customers"]), "sales": float(r["sales"])}
            for v, r in breakdown.iterrows()
        },
    }
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
