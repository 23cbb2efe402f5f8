"""The eval benchmark's peer: scikit-learn's HistGradientBoostingClassifier on exactly the split
`recoup eval` used, so that the two AUCs differ only by the model. Reads a JSON job on stdin:
{"csv", "rows", "features": [{"name", "kind"}], "target": {"name", "positive", "negative"}, "test": [row indices], "seed"}
and prints {"auc", "fitSeconds", "version"} as one JSON line. Standard library plus numpy and sklearn
(Debian: apt-get install python3-sklearn); nothing is downloaded."""
import csv
import json
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def read_rows(path):
    with open(path, newline='', encoding='utf-8') as handle:
        first = handle.readline()
        handle.seek(0)
        delimiter = ';' if first.count(';') > first.count(',') else ','
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        return header, [row for row in reader if row]


def column(rows, index, kind):
    values = [row[index].strip() for row in rows]
    if kind == 'numeric':
        return np.array([float(v) if v not in ('', 'NA', 'NaN') else np.nan for v in values]), False
    # Categories as integer codes in order of first appearance, as sklearn's categorical support wants.
    codes = {}
    return np.array([codes.setdefault(v, len(codes)) for v in values], dtype=float), True


def main():
    job = json.load(sys.stdin)
    header, rows = read_rows(job['csv'])
    if len(rows) != job['rows']:
        sys.exit(f"read {len(rows)} data rows from {job['csv']}, recoup read {job['rows']}: the split would not line up")
    columns = [column(rows, header.index(f['name']), f['kind']) for f in job['features']]
    x = np.column_stack([values for values, _ in columns])
    categorical = np.array([is_categorical for _, is_categorical in columns])
    target_index = header.index(job['target']['name'])
    positive = set(job['target']['positive'])
    y = np.array([1 if row[target_index].strip() in positive else 0 for row in rows])
    test = np.zeros(len(rows), dtype=bool)
    test[job['test']] = True
    model = HistGradientBoostingClassifier(categorical_features=categorical, random_state=job['seed'])
    started = time.perf_counter()
    model.fit(x[~test], y[~test])
    fit_seconds = time.perf_counter() - started
    auc = roc_auc_score(y[test], model.predict_proba(x[test])[:, 1])
    print(json.dumps({'auc': round(float(auc), 4), 'fitSeconds': round(fit_seconds, 2), 'version': sklearn.__version__}))


main()
