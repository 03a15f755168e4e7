"""Parallel entry script: init() once per worker, run() per mini-batch."""


def init():
    pass


def run(mini_batch):
    return [f"{path},0.0" for path in mini_batch]
