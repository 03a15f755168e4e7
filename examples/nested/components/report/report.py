"""Writes the fitted line as a one-line report (standard library only)."""
import argparse
import json
import pathlib

p = argparse.ArgumentParser()
p.add_argument("--model", required=True)
p.add_argument("--report", required=True)
a = p.parse_args()
m = json.loads((pathlib.Path(a.model) / "model.json").read_text())
out = pathlib.Path(a.report)
out.mkdir(parents=True, exist_ok=True)
(out / "report.txt").write_text(f"fare = {m['a']:.2f} + {m['b']:.2f} * distance\n")
