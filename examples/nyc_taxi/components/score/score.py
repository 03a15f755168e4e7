"""Predicts the fare of every test trip with the trained model."""
import argparse
import csv
import json
import pathlib

parser = argparse.ArgumentParser()
parser.add_argument("--model", required=True)
parser.add_argument("--data", required=True)
parser.add_argument("--predictions", required=True)
args = parser.parse_args()

model = json.loads((pathlib.Path(args.model) / "model.json").read_text())
out = pathlib.Path(args.predictions)
out.mkdir(parents=True, exist_ok=True)
with (pathlib.Path(args.data) / "trips.csv").open(newline="") as src, (out / "predictions.csv").open("w", newline="") as dst:
    w = csv.writer(dst)
    w.writerow(["distance", "fare", "predicted"])
    for r in csv.DictReader(src):
        d = float(r["distance"])
        w.writerow([d, r["fare"], round(model["intercept"] + model["per_mile"] * d, 2)])
print(f"score: predictions in {out / 'predictions.csv'}")
