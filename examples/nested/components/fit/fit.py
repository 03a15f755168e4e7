"""Fits fare = a + b * distance by least squares (standard library only)."""
import argparse
import csv
import json
import pathlib

p = argparse.ArgumentParser()
p.add_argument("--data", required=True)
p.add_argument("--model", required=True)
a = p.parse_args()
xs, ys = [], []
with (pathlib.Path(a.data) / "trips.csv").open(newline="") as fh:
    for r in csv.DictReader(fh):
        xs.append(float(r["distance"]))
        ys.append(float(r["fare"]))
n = len(xs)
mx, my = sum(xs) / n, sum(ys) / n
b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / max(sum((x - mx) ** 2 for x in xs), 1e-9)
out = pathlib.Path(a.model)
out.mkdir(parents=True, exist_ok=True)
(out / "model.json").write_text(json.dumps({"a": my - b * mx, "b": b}))
