"""Speed and memory of one full run (96 months, default historical scenario) by population size.

For each size the script runs the model twice, each time in a fresh process so that one size's
memory does not blur the next: once untraced for the wall time (and the peak RSS growth from
`resource.getrusage`), once under `tracemalloc` for the peak of Python and numpy allocations.
The traced peak is split into model creation (the January 2019 population) and the monthly
steps, which is where a temporary array of size N shows up.

    .venv/bin/python experiments/benchmark.py                      # 100,000 and 1,000,000
    .venv/bin/python experiments/benchmark.py --holders 20000 --seed 3
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere, as a script

TARGET_DEFAULT_SECONDS = 5.0  # the default run (100,000 holders)
TARGET_MILLION_SECONDS = 60.0  # 1,000,000 holders on one core
TARGET_BYTES_PER_HOLDER = 150.0
DEFAULT_HOLDERS = 100_000


def _rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, B on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _measure(holders: int, seed: int, traced: bool) -> dict[str, float]:
    """One full run in this process; wall time, or traced peaks, plus RSS growth."""
    from sim.config import load_params
    from sim.model import CPFModel

    params = load_params([f"population.holders={holders}", f"seed={seed}"])
    rss_before = _rss_bytes()
    out: dict[str, float] = {"months": params.n_months}
    if traced:
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    model = CPFModel(params)
    if traced:
        out["peak_create"] = tracemalloc.get_traced_memory()[1] - base
        tracemalloc.reset_peak()
    created = time.perf_counter()
    while model.month < model.n_months:
        model.step()
    model.recorder.finalise(params.population.scale)
    end = time.perf_counter()
    if traced:
        current, peak_steps = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["peak_steps"] = peak_steps - base
        out["peak"] = max(out["peak_create"], out["peak_steps"])
        out["held_after"] = current - base
    out["create_s"] = created - start
    out["wall_s"] = end - start
    out["rss_growth"] = _rss_bytes() - rss_before
    out["state_bytes"] = model.population.memory_bytes()
    return out


def _child(holders: int, seed: int, traced: bool, queue: mp.Queue) -> None:
    queue.put(_measure(holders, seed, traced))


def measure_in_fresh_process(holders: int, seed: int, traced: bool) -> dict[str, float]:
    """Run `_measure` in a new interpreter (spawn), so RSS and imports start clean."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(holders, seed, traced, queue))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"benchmark child for {holders} holders failed ({process.exitcode})")
    return result


def verdict(value: float, target: float) -> str:
    return "ok" if value < target else "OVER"


def report(holders: int, timed: dict[str, float], traced: dict[str, float] | None) -> str:
    months = int(timed["months"])
    lines = [f"{holders:,} holders x {months} months"]
    rate = holders * months / timed["wall_s"]
    target = (
        TARGET_DEFAULT_SECONDS
        if holders <= DEFAULT_HOLDERS
        else TARGET_MILLION_SECONDS * holders / 1e6
    )
    lines.append(
        f"  wall time        {timed['wall_s']:8.2f} s   (creation {timed['create_s']:.2f} s)"
        f"   target < {target:.0f} s: {verdict(timed['wall_s'], target)}"
    )
    lines.append(f"  throughput       {rate / 1e6:8.2f} M holder-months/s")
    lines.append(
        f"  peak RSS growth  {timed['rss_growth'] / 2**20:8.1f} MiB = "
        f"{timed['rss_growth'] / holders:6.1f} B/holder (untraced run)"
    )
    state = timed["state_bytes"] / holders
    lines.append(
        f"  state arrays     {timed['state_bytes'] / 2**20:8.1f} MiB = {state:6.1f} B/holder"
    )
    if traced is not None:
        per_holder = traced["peak"] / holders
        ok = verdict(per_holder, TARGET_BYTES_PER_HOLDER)
        lines.append(
            f"  traced peak      {traced['peak'] / 2**20:8.1f} MiB = {per_holder:6.1f} B/holder"
            f"   target < {TARGET_BYTES_PER_HOLDER:.0f}: {ok}"
        )
        lines.append(
            f"    creation {traced['peak_create'] / holders:6.1f} B/holder,"
            f" monthly steps {traced['peak_steps'] / holders:6.1f} B/holder,"
            f" held at the end {traced['held_after'] / holders:6.1f} B/holder"
            f" (traced run {traced['wall_s']:.1f} s)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-trace", action="store_true", help="skip the tracemalloc run")
    args = parser.parse_args(argv)
    from sim.core.version import code_version

    print(f"cpf-sim {code_version()} benchmark, seed {args.seed}, one process per measurement")
    print(
        f"targets: default run ({DEFAULT_HOLDERS:,}) < {TARGET_DEFAULT_SECONDS:.0f} s; "
        f"1,000,000 holders < {TARGET_MILLION_SECONDS:.0f} s on one core; "
        f"< {TARGET_BYTES_PER_HOLDER:.0f} bytes per holder\n"
    )
    for holders in args.holders:
        timed = measure_in_fresh_process(holders, args.seed, traced=False)
        traced = (
            None if args.no_trace else measure_in_fresh_process(holders, args.seed, traced=True)
        )
        print(report(holders, timed, traced), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
