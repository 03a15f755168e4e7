"""Scores trip files a mini-batch at a time: Azure ML's parallel job calls init() once per
worker, then run(mini_batch) with a list of file paths (standard library only)."""
import argparse
import csv
import json
import pathlib

model = None


def init():
    global model
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    args, _ = parser.parse_known_args()
    model = json.loads((pathlib.Path(args.model) / "model.json").read_text())


def run(mini_batch):
    # One line per trip; append_row_to gathers them into the scores output.
    rows = []
    for path in mini_batch:
        with open(path, newline="") as fh:
            for r in csv.DictReader(fh):
                fare = model["a"] + model["b"] * float(r["distance"])
                rows.append(f"{pathlib.Path(path).name},{r['distance']},{fare:.2f}")
    return rows
