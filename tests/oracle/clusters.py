"""Oracle for the cluster analysis (issue 20): scikit-learn 1.8.0 and numpy/scipy on the inputs
`tests/clusters_oracle.rs` writes. Prints one JSON object.

    python clusters.py input.json

Input: `raw` (rows of R days, F orders, M money), and per case a scaling name, the initial
centres (ValueLens' k-means++ seeding, in scaled units), and the silhouette sample with the
labels to score (the row indices of a stratified sample and ValueLens' labels of every row).

Per case the oracle prints:
- `scaled`: the features as numpy/scikit-learn scale them: sign(x)·log1p(|x|) then
  `StandardScaler` (log_z) or `RobustScaler` (robust, quartiles 25-75), or
  `scipy.stats.rankdata(method="average")` → (rank − 1) / (n − 1) (rank);
- `labels`, `inertia`, `iterations`: `KMeans(n_clusters=k, init=centres, n_init=1,
  algorithm="lloyd", tol=0, max_iter=300)` fitted on ValueLens' scaled features (so that only
  the algorithm is compared);
- `silhouette`: `silhouette_score(X[sample], labels[sample])` with the given labels, and
  `calinski_harabasz`: `calinski_harabasz_score(X, labels)`.
"""

import json
import sys

import numpy as np
from scipy.stats import rankdata
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, silhouette_score
from sklearn.preprocessing import RobustScaler, StandardScaler


def scale(raw, scaling):
    if scaling == "rank":
        n = raw.shape[0]
        ranks = np.column_stack([rankdata(raw[:, d], method="average") for d in range(3)])
        return (ranks - 1.0) / max(n - 1, 1)
    logged = np.sign(raw) * np.log1p(np.abs(raw))
    if scaling == "log_z":
        return StandardScaler().fit_transform(logged)
    if scaling == "robust":
        return RobustScaler(quantile_range=(25.0, 75.0)).fit_transform(logged)
    raise ValueError(scaling)


with open(sys.argv[1]) as f:
    data = json.load(f)
raw = np.asarray(data["raw"], dtype=np.float64)
out = []
for case in data["cases"]:
    scaled = scale(raw, case["scaling"])
    ours = np.asarray(case["scaled"], dtype=np.float64)
    init = np.asarray(case["init"], dtype=np.float64)
    km = KMeans(
        n_clusters=init.shape[0], init=init, n_init=1, algorithm="lloyd", tol=0.0, max_iter=300
    ).fit(ours)
    labels = np.asarray(case["labels"])
    sample = np.asarray(case["sample"])
    out.append(
        {
            "scaling": case["scaling"],
            "scaled": scaled.tolist(),
            "labels": km.labels_.tolist(),
            "inertia": float(km.inertia_),
            "iterations": int(km.n_iter_),
            "silhouette": float(silhouette_score(ours[sample], labels[sample])),
            "calinski_harabasz": float(calinski_harabasz_score(ours, labels)),
        }
    )
print(json.dumps({"cases": out}))
