"""Whether this machine can hold a run, told before it starts, and out-of-memory in words.

The engine's memory grows about linearly with the number of centres (the neighbourhood graph,
per-centre tables; large regions are solved in parts of bounded size, see
:mod:`planner.clustering.partition`). :func:`estimate_mb` is that line, measured on synthetic
layouts of 3,000 to 100,000 centres (``benchmarks/bench_scale.py``) with a margin;
:func:`refusal` compares it with the memory the system says is available.
"""

from __future__ import annotations

import functools

__all__ = ["estimate_mb", "available_mb", "refusal", "out_of_memory", "guard_memory"]

_BASE_MB = 250.0  # interpreter, numpy/scipy/networkx, one part's dense tables
_PER_CENTRE_KB = 24.0  # graph, adjacency, plan and statistics per centre (with a margin)


def estimate_mb(n: int) -> float:
    """Peak memory (MB) a run over ``n`` centres is expected to need."""
    return _BASE_MB + n * _PER_CENTRE_KB / 1024.0


def available_mb() -> float | None:
    """Memory available to new work (``MemAvailable``), in MB; None where unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        return None
    return None


def refusal(n: int, available: float | None = None) -> str | None:
    """A planner's sentence when ``n`` centres will not fit in memory, else None."""
    free = available_mb() if available is None else available
    need = estimate_mb(n)
    if free is None or need <= free:
        return None
    return (f"planning {n:,} centres needs about {need / 1024:.1f} GB of memory and this "
            f"computer has {free / 1024:.1f} GB free: close other programs, or plan the areas "
            "separately (for example each authority on its own)")


def out_of_memory(n: int) -> str:
    """The sentence for a run that ran out of memory after all."""
    return (f"the computer ran out of memory while planning {n:,} centres: close other "
            "programs, or plan the areas separately (for example each authority on its own)")


def guard_memory(federate):
    """Decorate a generator ``federate(centres, ...)``: refuse up front what will not fit, and
    turn a ``MemoryError`` into :class:`~planner.clustering.explain.Infeasible` (the reason in
    a planner's words, never a traceback). Both happen on a ``next()``, like any refusal."""
    from planner.clustering.explain import Infeasible

    @functools.wraps(federate)
    def guarded(centres, *args, **kwargs):
        n = len(centres)
        refused = refusal(n)
        if refused:
            raise Infeasible([refused])
        try:
            return (yield from federate(centres, *args, **kwargs))
        except MemoryError:
            raise Infeasible([out_of_memory(n)]) from None

    return guarded
