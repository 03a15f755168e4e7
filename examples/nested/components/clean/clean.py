"""Keeps trips with a positive distance and fare (standard library only)."""
import argparse
import csv
import pathlib

p = argparse.ArgumentParser()
p.add_argument("--raw", required=True)
p.add_argument("--clean", required=True)
a = p.parse_args()
out = pathlib.Path(a.clean)
out.mkdir(parents=True, exist_ok=True)
with (out / "trips.csv").open("w", newline="") as fh:
    w = csv.DictWriter(fh, fieldnames=["distance", "fare"])
    w.writeheader()
    for f in sorted(pathlib.Path(a.raw).glob("*.csv")):
        with f.open(newline="") as src:
            for r in csv.DictReader(src):
                if float(r["distance"]) > 0 and float(r["fare"]) > 0:
                    w.writerow({"distance": r["distance"], "fare": r["fare"]})
