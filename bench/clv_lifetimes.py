"""`lifetimes` 0.11.3 on the (x, t_x, T, m) that `bench-clv --dump` wrote, for the ratio in
BENCHMARKS.md. Run with the test venv (`scripts/setup.sh --test` installs lifetimes there):

    target/test-venv/bin/python bench/clv_lifetimes.py DUMP.csv

Times (process CPU time): the BG/NBD fit on every customer (as `lifetimes` is usually called),
the same fit on the unique (x, t_x, T) with their counts as weights (what ValueLens does), the
Gamma-Gamma fit on the repeat customers with m > 0, and scoring every customer (P(alive),
expected purchases in 52 weeks, expected value, 12-month CLV).
"""

import sys
import time

import numpy as np
import pandas as pd
from lifetimes import BetaGeoFitter, GammaGammaFitter

df = pd.read_csv(sys.argv[1])
print(f"customers: {len(df)}")


def timed(what, f):
    started = time.process_time()
    value = f()
    print(f"{what:<40} {1000 * (time.process_time() - started):>10.1f} ms")
    return value


bgf = BetaGeoFitter()
timed("BG/NBD fit, every customer", lambda: bgf.fit(df["frequency"], df["recency"], df["T"]))
print("  ", {k: round(v, 6) for k, v in bgf.params_.items()})
tuples = df.groupby(["frequency", "recency", "T"]).size().reset_index(name="count")
print(f"unique tuples: {len(tuples)}")
bgf_u = BetaGeoFitter()
timed(
    "BG/NBD fit, unique tuples with weights",
    lambda: bgf_u.fit(tuples["frequency"], tuples["recency"], tuples["T"], weights=tuples["count"]),
)
print("  ", {k: round(v, 6) for k, v in bgf_u.params_.items()})
repeat = df[(df["frequency"] > 0) & (df["monetary_value"] > 0)]
ggf = GammaGammaFitter()
timed("Gamma-Gamma fit", lambda: ggf.fit(repeat["frequency"], repeat["monetary_value"]))
print("  ", {k: round(v, 6) for k, v in ggf.params_.items()})


def score():
    x, tx, T, m = df["frequency"], df["recency"], df["T"], df["monetary_value"]
    p = bgf.conditional_probability_alive(x, tx, T)
    e = bgf.conditional_expected_number_of_purchases_up_to_time(52, x, tx, T)
    v = ggf.conditional_expected_average_profit(x, m)
    clv = ggf.customer_lifetime_value(
        bgf, x, tx, T, m, time=12, discount_rate=1.1 ** (1 / 12) - 1, freq="W"
    )
    return p, e, v, clv


p, e, v, clv = timed("scoring every customer", score)
print(f"CLV total {np.sum(clv):.2f}, expected purchases {np.sum(e):.2f}")
