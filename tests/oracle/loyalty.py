"""Independent loyalty figures (issue 16), written from METHODS §4, §5, §7, §9 and the rules
documented in src/engine/loyalty/mod.rs, for tests/loyalty_oracle.rs.

Usage: loyalty.py ORDERS.csv SURVEY.csv ENCODING LAPSE_DAYS LOYAL_MIN_ORDERS LOYAL_MIN_TENURE
       LONG_TERM_DAYS LONG_TERM_MIN_ORDERS HIGH_VALUE_DECILES

ORDERS.csv: customer,order,date,amount (every amount positive). SURVEY.csv: columns by
position customer, satisfaction (five label words), recommend (0-10), repurchase (words),
date. Rows without a customer or with a satisfaction word off the scale are rejected, as the
import does. Prints JSON.
"""

import json
import math
import sys

import numpy as np
import pandas as pd

LEVELS = {"非常满意": 5, "满意": 4, "一般": 3, "不满意": 2, "非常不满意": 1}
INTENT = {"会": "yes", "不会": "no", "不确定": "unsure"}
BOTTOM, SATISFIED, TOP = 1, 4, 5
Z = 1.959963984540054


def wilson(k, n):
    if n == 0:
        return None, None
    p = k / n
    d = 1 + Z * Z / n
    c = (p + Z * Z / (2 * n)) / d
    h = Z / d * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return max(c - h, 0.0), min(c + h, 1.0)


def nps(values):
    values = list(values)
    p = sum(1 for v in values if v >= 9)
    d = sum(1 for v in values if v <= 6)
    n = len(values)
    return {
        "n": n,
        "promoters": p,
        "passives": n - p - d,
        "detractors": d,
        "score": None if n == 0 else 100.0 * (p - d) / n,
    }


def main():
    (orders_path, survey_path, encoding, lapse_days, loyal_min_orders, loyal_min_tenure,
     long_term_days, long_term_min_orders, high_value_deciles) = sys.argv[1:10]
    lapse_days, loyal_min_orders, loyal_min_tenure = int(lapse_days), int(loyal_min_orders), int(loyal_min_tenure)
    long_term_days, long_term_min_orders = int(long_term_days), int(long_term_min_orders)
    high_value_deciles = int(high_value_deciles)

    orders = pd.read_csv(orders_path, dtype={"customer": str, "order": str})
    orders["date"] = pd.to_datetime(orders["date"])
    analysis_day = orders["date"].max() + pd.Timedelta(days=1)
    per = orders.groupby("customer").agg(
        first=("date", "min"), last=("date", "max"), orders=("order", "nunique"), sales=("amount", "sum")
    )
    per["tenure"] = (analysis_day - per["first"]).dt.days
    per["recency"] = (analysis_day - per["last"]).dt.days
    per["lapsed"] = per["recency"] > lapse_days
    per["loyal"] = (~per["lapsed"]) & (per["orders"] >= loyal_min_orders) & (per["tenure"] >= loyal_min_tenure)
    # Deciles: sales descending, ids ascending, equal counts with the larger groups first.
    ranked = per.reset_index().sort_values(["sales", "customer"], ascending=[False, True])
    decile = {}
    for d, part in enumerate(np.array_split(ranked["customer"].to_numpy(), 10), start=1):
        for c in part:
            decile[c] = d
    per["decile"] = [decile[c] for c in per.index]

    raw = pd.read_csv(survey_path, encoding=encoding, dtype=str, keep_default_na=False)
    raw.columns = ["customer", "satisfaction", "recommend", "repurchase", "date"]
    raw["line"] = np.arange(len(raw)) + 2
    raw["customer"] = raw["customer"].str.strip()
    ok = (raw["customer"] != "") & raw["satisfaction"].str.strip().isin(LEVELS.keys())
    rows_read = len(raw)
    survey = raw[ok].copy()
    survey["level"] = survey["satisfaction"].str.strip().map(LEVELS)
    survey["recommend"] = survey["recommend"].astype(int)
    survey["intent"] = survey["repurchase"].str.strip().map(INTENT)
    survey["date"] = pd.to_datetime(survey["date"])
    latest = survey.sort_values(["customer", "date", "line"], kind="stable").groupby("customer").tail(1)
    latest = latest.set_index("customer").sort_index()

    matched = [c for c in latest.index if c in per.index]
    unmatched = [c for c in latest.index if c not in per.index]

    types = {t: 0 for t in ["apostle", "loyalist", "hostage", "mercenary", "defector", "terrorist"]}
    high_value_terrorists = 0
    churn = {level: [0, 0] for level in range(1, 6)}
    for c in matched:
        level, o = latest.at[c, "level"], per.loc[c]
        if o["loyal"]:
            t = "apostle" if level >= TOP else "loyalist" if level >= SATISFIED else "hostage"
        elif level >= SATISFIED:
            t = "mercenary"
        elif level <= BOTTOM and o["lapsed"]:
            t = "terrorist"
        else:
            t = "defector"
        types[t] += 1
        if t == "terrorist" and o["decile"] <= high_value_deciles:
            high_value_terrorists += 1
        churn[level][0] += 1
        churn[level][1] += int(o["lapsed"])

    classes = {k: 0 for k in range(1, 7)}
    for c in latest.index:
        r = latest.loc[c]
        satisfied = r["level"] >= SATISFIED
        intent = r["intent"] if isinstance(r["intent"], str) else None
        if c in per.index:
            o = per.loc[c]
            if o["orders"] >= long_term_min_orders and o["tenure"] >= long_term_days:
                k = 1 if satisfied and not o["lapsed"] and intent != "no" else 2
            else:
                more = intent == "yes" if intent is not None else satisfied
                k = 3 if more else 4
        else:
            may = intent != "no" if intent is not None else (satisfied or r["recommend"] >= 7)
            k = 5 if may else 6
        classes[k] += 1

    by_decile = []
    for d in range(1, 11):
        members = [c for c in matched if per.at[c, "decile"] == d]
        figures = nps(latest.loc[members, "recommend"]) if members else nps([])
        figures["mean_satisfaction"] = float(latest.loc[members, "level"].mean()) if members else None
        by_decile.append(figures)

    print(json.dumps({
        "rows_read": rows_read,
        "responses": int(ok.sum()),
        "respondents": len(latest),
        "matched": len(matched),
        "unmatched": unmatched,
        "nps": nps(latest["recommend"]),
        "types": types,
        "high_value_terrorists": high_value_terrorists,
        "classes": [classes[k] for k in range(1, 7)],
        "churn": [
            {"level": level, "n": n, "lapsed": k, "low": wilson(k, n)[0], "high": wilson(k, n)[1]}
            for level, (n, k) in churn.items()
        ],
        "by_decile": by_decile,
    }, ensure_ascii=False))


main()
