"""Cleans raw taxi trips and splits them into train and test sets (standard library only)."""
import argparse
import csv
import pathlib
import random

parser = argparse.ArgumentParser()
parser.add_argument("--raw", required=True)
parser.add_argument("--train", required=True)
parser.add_argument("--test", required=True)
parser.add_argument("--test_ratio", type=float, default=0.2)
args = parser.parse_args()

rows = []
for f in sorted(pathlib.Path(args.raw).glob("*.csv")):
    with f.open(newline="") as fh:
        for r in csv.DictReader(fh):
            distance, fare = float(r["distance"]), float(r["fare"])
            # Zero-distance trips and negative fares are meter errors, not trips.
            if distance > 0 and fare > 0:
                rows.append({"distance": distance, "fare": fare})

random.Random(42).shuffle(rows)
cut = int(len(rows) * (1 - args.test_ratio))
for folder, part in ((args.train, rows[:cut]), (args.test, rows[cut:])):
    out = pathlib.Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "trips.csv").open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["distance", "fare"])
        w.writeheader()
        w.writerows(part)
print(f"prep: {len(rows)} trips, {cut} to train, {len(rows) - cut} to test")
