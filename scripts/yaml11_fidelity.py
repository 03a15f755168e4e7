"""Strings that trip YAML readers up survive our emitter as PyYAML (the SDK's reader) sees them.

PyYAML writes a command job whose tags are generated strings (YAML 1.1 booleans, octals,
sexagesimals, dates, indicators, quotes, control characters, non-ASCII); `pipeline emit`
re-emits it; PyYAML must read back exactly the same strings. Run by scripts/conformance.sh.
"""
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ALPHABET = list(" \t\n\r:-?#&*!|>'\"%@`{}[],$~01.eEyYnNoOfFtT<=\\\xa0é→x_\x7f\x01\ufeff")
SPECIAL = ["on", "off", "yes", "no", "y", "n", "0755", "1:30", "2024-01-01", "1e-5", "1.0e5", "~",
           "null", "<<", "=", ".inf", "-.5", "+1", "0x1F", "0o17", "1_000", "2001-12-14 21:59:43.10 -5",
           "True", "NO", "", "${{parent.inputs.x}}", "- x", "a: b", "a #b", "---", "..."]


def main(emitter: str) -> int:
    rng = random.Random(20261121)
    failures = 0
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "job.yml"
        for batch in range(40):
            tags = {}
            for i in range(250):
                if rng.random() < 0.2:
                    value = rng.choice(SPECIAL)
                else:
                    value = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 10)))
                tags[f"k{i}"] = value
            doc = {"type": "command", "command": "echo", "environment": "azureml:env:1", "tags": tags}
            src.write_text(yaml.safe_dump(doc, allow_unicode=batch % 2 == 0), encoding="utf-8")
            run = subprocess.run([emitter, "emit", str(src)], capture_output=True, text=True, encoding="utf-8")
            if run.returncode != 0:
                print(f"yaml11: emitter failed on batch {batch}: {run.stderr.strip()[:500]}")
                failures += 1
                continue
            back = yaml.safe_load(run.stdout)["tags"]
            for key, value in tags.items():
                checked += 1
                if back.get(key) != value:
                    failures += 1
                    print(f"yaml11: {value!r} came back as {back.get(key)!r}")
    print(f"yaml11: {checked - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "target/debug/pipeline"))
