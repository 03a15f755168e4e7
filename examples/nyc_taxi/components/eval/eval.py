"""Reports the root-mean-square error of the predictions."""
import argparse
import csv
import json
import math
import pathlib

parser = argparse.ArgumentParser()
parser.add_argument("--predictions", required=True)
parser.add_argument("--report", required=True)
args = parser.parse_args()

with (pathlib.Path(args.predictions) / "predictions.csv").open(newline="") as fh:
    errors = [float(r["predicted"]) - float(r["fare"]) for r in csv.DictReader(fh)]
rmse = math.sqrt(sum(e * e for e in errors) / len(errors))
out = pathlib.Path(args.report)
out.mkdir(parents=True, exist_ok=True)
(out / "metrics.json").write_text(json.dumps({"rmse": rmse, "trips": len(errors)}, indent=2))
print(f"eval: rmse {rmse:.2f} over {len(errors)} trips")
