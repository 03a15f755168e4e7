"""Trains a fare model."""
import argparse
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--data", required=True)
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--model", required=True)
args = parser.parse_args()

Path(args.model).mkdir(parents=True, exist_ok=True)
(Path(args.model) / "MLmodel").write_text(f"lr: {args.lr}\n")
