"""One worker of a parallel node, as Azure ML's parallel run starts it: the entry script is
imported, init() is called once, then run(mini_batch) once per mini-batch it is given.

Written into the node's folder by `pipeline run`; started as
    python3 -u parallel_driver.py ENTRY_SCRIPT LOGGING_LEVEL PROGRAM_ARGUMENTS
in the node's code folder, with stderr on the worker's log.

Protocol: the runner writes one JSON line per mini-batch on stdin,
    {"batch": 3, "files": ["/data/a.png", ...], "rows": "/run/node/mini_batches/3.txt"}
and reads one tab-separated line per event on the original stdout:
    ready | init-failed <error> | done <batch> <rows> | failed <batch> <error>
The rows run() returns go to the "rows" file, one per line, so that no row can break the
protocol. The user's prints and logs go to the worker log, never to the protocol.
"""

import importlib.util
import json
import logging
import os
import sys
import traceback


def main():
    # The program arguments come already split, as Azure ML's parallel runtime splits them.
    entry, level, arguments = sys.argv[1], sys.argv[2], sys.argv[3:]

    # Keep stdin and stdout for the protocol, then point fd 0 at /dev/null and fd 1 at the log
    # (fd 2), so that print() in the entry script, and any process it starts, writes to the log.
    to_runner = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    from_runner = os.fdopen(os.dup(0), "r", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)

    def say(*fields):
        to_runner.write("\t".join(one_line(f) for f in fields) + "\n")
        to_runner.flush()

    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    sys.argv = [entry] + arguments

    try:
        module = load(entry)
        if callable(getattr(module, "init", None)):
            module.init()
        run = getattr(module, "run", None)
        if not callable(run):
            raise RuntimeError(f"{entry} has no run(mini_batch) function")
    except BaseException as e:  # SystemExit too: argparse exits on bad arguments.
        traceback.print_exc()
        say("init-failed", last_line(e))
        return 1
    say("ready")

    for line in from_runner:
        task = json.loads(line)
        batch = task["batch"]
        files = list(task["files"])
        print(f"pipeline: mini-batch {batch}: {len(files)} file(s)", file=sys.stderr)
        try:
            rows = as_rows(run(files))
            with open(task["rows"], "w", encoding="utf-8") as out:
                for row in rows:
                    out.write(row + "\n")
        except BaseException as e:  # A failed mini-batch, whatever the exception.
            traceback.print_exc()
            say("failed", batch, last_line(e))
            continue
        say("done", batch, len(rows))

    # Stdin closed: every mini-batch is done. Azure ML calls shutdown() when the script has one.
    if callable(getattr(module, "shutdown", None)):
        try:
            module.shutdown()
        except BaseException:
            traceback.print_exc()
    return 0


def load(entry):
    """Imports the entry script as a module named after its file."""
    path = os.path.abspath(entry)
    # The script's folder first on sys.path (as `python score.py` would), not this driver's;
    # then the code folder (the cwd), for a script in a subfolder that imports its siblings.
    sys.path[0] = os.path.dirname(path)
    if os.getcwd() not in sys.path:
        sys.path.insert(1, os.getcwd())
    name = os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {entry}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def as_rows(result):
    """run()'s result as rows: a list's items, a DataFrame's rows (values joined by spaces)."""
    if result is None:
        return []
    if hasattr(result, "itertuples"):  # pandas, without importing it
        return [" ".join(str(v) for v in row) for row in result.itertuples(index=False)]
    if isinstance(result, (list, tuple)):
        return [str(item) for item in result]
    raise TypeError(
        f"run() returned {type(result).__name__}; return a list or a pandas DataFrame"
    )


def last_line(error):
    """The traceback's last line: `ValueError: bad file`."""
    return traceback.format_exception_only(type(error), error)[-1].strip()


def one_line(field):
    return " ".join(str(field).split())


if __name__ == "__main__":
    sys.exit(main())
