"""Fits fare = a + b * distance by least squares and saves the model as JSON."""
import argparse
import csv
import json
import pathlib

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--model", required=True)
args = parser.parse_args()

with (pathlib.Path(args.data) / "trips.csv").open(newline="") as fh:
    rows = [(float(r["distance"]), float(r["fare"])) for r in csv.DictReader(fh)]
n = len(rows)
mx = sum(x for x, _ in rows) / n
my = sum(y for _, y in rows) / n
slope = sum((x - mx) * (y - my) for x, y in rows) / sum((x - mx) ** 2 for x, _ in rows)
model = {"intercept": my - slope * mx, "per_mile": slope}

out = pathlib.Path(args.model)
out.mkdir(parents=True, exist_ok=True)
(out / "model.json").write_text(json.dumps(model, indent=2))
print(f"train: {n} trips, fare = {model['intercept']:.2f} + {model['per_mile']:.2f} * miles")
