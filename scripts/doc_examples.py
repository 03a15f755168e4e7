#!/usr/bin/env python3
"""Lists the public items of our crates whose rustdoc has no code example.

Reads the JSON that `cargo +nightly rustdoc -- --output-format json` writes. Fields, enum variants
and trait-impl methods are left out: they are documented but an example belongs to their type.
Exits 1 when an item has no example, so CI can run it.
"""
import json
import sys
from pathlib import Path

SKIPPED_KINDS = {"impl", "use", "struct_field", "variant", "assoc_type", "assoc_const"}


def missing(path):
    doc = json.loads(Path(path).read_text())
    index = doc["index"]
    # Methods of trait impls (derived or written) take their docs from the trait.
    in_trait_impl = set()
    for item in index.values():
        imp = item["inner"].get("impl")
        if imp and (imp.get("trait") is not None or imp.get("synthetic") or imp.get("blanket_impl")):
            in_trait_impl.update(str(i) for i in imp["items"])
    for iid, item in index.items():
        if item["crate_id"] != 0 or iid in in_trait_impl:
            continue
        if item.get("visibility") not in ("public", "default"):
            continue
        kind = next(iter(item["inner"]))
        if kind in SKIPPED_KINDS or "```" in (item.get("docs") or ""):
            continue
        span = item.get("span") or {}
        yield span.get("filename", "?"), (span.get("begin") or [0])[0], kind, item.get("name")


def main():
    total = 0
    for path in sys.argv[1:]:
        for file, line, kind, name in sorted(missing(path)):
            print(f"{file}:{line}: {kind} `{name}` has no example")
            total += 1
    if total:
        print(f"{total} public item(s) without a rustdoc example", file=sys.stderr)
        sys.exit(1)
    print("every public item has a rustdoc example")


if __name__ == "__main__":
    main()
