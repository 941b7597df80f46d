"""Oracle for the CLV engine (issue 15): `lifetimes` 0.11.3 itself on the CDNOW sample, the data
of the BG/NBD paper. Prints one JSON object.

    python clv.py CDNOW_sample.txt

The set-up is the paper's: calibration ending 1997-09-30 (inclusive), observation through
1998-06-30, time in weeks measured as days / 7 (`freq="D"`, `freq_multiplier=7`); a purchase is a
day with a line (several lines on one day count once; the sample has no returns); the monetary
value is the mean of the repeat days' dollars (the first day left out).

Printed: the summary sizes, both fits (BG/NBD and Gamma-Gamma on the calibration repeaters), the
holdout totals (actual, and predicted over the holdout length) and, for a handful of customers
chosen by rule (a one-time buyer, one whose last purchase is on the calibration end, the heaviest
buyer, a middling one, one first seen on the calibration end when there is one), their
(x, t_x, T, m), P(alive), expected purchases in 52 weeks, expected average value and 12-month CLV
at a monthly discount rate of 1.1^(1/12) - 1 (10 % a year).
"""

import json
import sys

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import calibration_and_holdout_data

path = sys.argv[1]
df = pd.read_csv(
    path,
    sep=r"\s+",
    header=None,
    names=["customer", "id", "date", "cds", "dollars"],
    dtype={"customer": str, "id": str, "date": str},
)
df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")

summary = calibration_and_holdout_data(
    df,
    "customer",
    "date",
    calibration_period_end="1997-09-30",
    observation_period_end="1998-06-30",
    freq="D",
    freq_multiplier=7,
    monetary_value_col="dollars",
)

bgf = BetaGeoFitter(penalizer_coef=0.0)
bgf.fit(summary["frequency_cal"], summary["recency_cal"], summary["T_cal"])
repeat = summary[summary["frequency_cal"] > 0]
ggf = GammaGammaFitter(penalizer_coef=0.0)
ggf.fit(repeat["frequency_cal"], repeat["monetary_value_cal"])

duration = float(summary["duration_holdout"].iloc[0])
predicted = bgf.conditional_expected_number_of_purchases_up_to_time(
    duration, summary["frequency_cal"], summary["recency_cal"], summary["T_cal"]
)

picks = {}
s = summary.sort_index()
picks["one_time"] = s[s["frequency_cal"] == 0].index[0]
last_on_end = s[(s["frequency_cal"] > 0) & (s["recency_cal"] == s["T_cal"])]
if len(last_on_end):
    picks["last_on_end"] = last_on_end.index[0]
picks["heavy"] = s["frequency_cal"].idxmax()
middle = s[s["frequency_cal"] == 3]
picks["middle"] = middle.index[len(middle) // 2]
first_on_end = s[s["T_cal"] == 0]
if len(first_on_end):
    picks["first_on_end"] = first_on_end.index[0]
picks["lapsed_repeat"] = s[s["frequency_cal"] >= 2].sort_values("recency_cal").index[0]

monthly = 1.1 ** (1 / 12) - 1
customers = []
for role, cid in picks.items():
    row = s.loc[[cid]]
    x, tx, T, m = row["frequency_cal"], row["recency_cal"], row["T_cal"], row["monetary_value_cal"]
    clv = ggf.customer_lifetime_value(bgf, x, tx, T, m, time=12, discount_rate=monthly, freq="W")
    customers.append(
        {
            "role": role,
            "customer": cid,
            "x": float(x.iloc[0]),
            "t_x": float(tx.iloc[0]),
            "T": float(T.iloc[0]),
            "m": float(m.iloc[0]),
            "holdout": float(row["frequency_holdout"].iloc[0]),
            "p_alive": float(bgf.conditional_probability_alive(x, tx, T)[0]),
            "expected_52": float(
                np.asarray(bgf.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T))[0]
            ),
            "expected_value": float(np.asarray(ggf.conditional_expected_average_profit(x, m))[0]),
            "clv": float(np.asarray(clv)[0]),
        }
    )


def params(fitter, names):
    return {n: float(fitter.params_[n]) for n in names}


print(
    json.dumps(
        {
            "customers_in_model": int(len(summary)),
            "repeaters": int(len(repeat)),
            "bgnbd": params(bgf, ["r", "alpha", "a", "b"]),
            "gg": params(ggf, ["p", "q", "v"]),
            "holdout_length": duration,
            "holdout_actual": float(summary["frequency_holdout"].sum()),
            "holdout_predicted": float(np.sum(predicted)),
            "expected_x_78": float(bgf.expected_number_of_purchases_up_to_time(78)),
            "customers": customers,
        },
        indent=1,
    )
)
