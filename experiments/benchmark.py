"""Speed and memory of one full run (96 months, historical scenario) by population size.

Each size runs in a fresh process (so one size's memory does not blur the next), timed from
model creation to the last month. The script prints, in one run:

- holder-months per second and the peak resident memory (absolute and per holder) at each size;
- the ratio to Mesa's empty agent loop (`model.agents.shuffle_do("step")` on agents whose
  `step` does nothing) over the same holder-months, timed here at 100,000 agents and scaled;
- the growth exponent of time in holders (log-log fit over the sizes), and the time ratio of
  each 4x step in size;
- against the targets of issue 13 (one core).

    .venv/bin/python experiments/benchmark.py                       # 100k, 1M, 10M and 40M
    .venv/bin/python experiments/benchmark.py --holders 100000 1000000 --trace
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere, as a script

SIZES = [100_000, 1_000_000, 10_000_000, 40_000_000]
MESA_AGENTS = 100_000
MESA_STEPS = 10
TARGET_SECONDS = {100_000: 0.7, 1_000_000: 3.0, 40_000_000: 180.0}
TARGET_RSS_BYTES = 6e9  # at 40M holders
TARGET_MESA_RATIO = 25.0
TARGET_GROWTH_4X = 4.5  # time ratio for 4x the holders, from 1M up


def _rss_bytes() -> int:
    """Peak resident set size of this process so far (ru_maxrss is KiB on Linux, B on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _measure(holders: int, seed: int, traced: bool) -> dict[str, float]:
    """One full run in this process: wall and CPU time, peak RSS, and traced peaks if asked."""
    from sim.config import load_params
    from sim.model import CPFModel

    params = load_params([f"population.holders={holders}", f"seed={seed}"])
    out: dict[str, float] = {"months": params.n_months, "rss_before": _rss_bytes()}
    if traced:
        tracemalloc.start()
    start, cpu = time.perf_counter(), time.process_time()
    model = CPFModel(params)
    created = time.perf_counter()
    if traced:
        out["peak_create"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
    model.run_all()
    model.recorder.finalise(params.population.scale)
    out["wall_s"] = time.perf_counter() - start
    out["cpu_s"] = time.process_time() - cpu
    out["create_s"] = created - start
    if traced:
        out["peak_steps"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    out["rss"] = _rss_bytes()
    out["state_bytes"] = model.population.memory_bytes() + model.rosters.memory_bytes()
    return out


def _mesa_seconds_per_agent_step() -> float:
    """Mesa's own empty loop: `shuffle_do('step')` over agents that do nothing."""
    import mesa

    class Idle(mesa.Agent):
        def step(self) -> None:
            pass

    model = mesa.Model(rng=0)
    for _ in range(MESA_AGENTS):
        Idle(model)
    model.agents.shuffle_do("step")  # warm-up
    start = time.perf_counter()
    for _ in range(MESA_STEPS):
        model.agents.shuffle_do("step")
    return (time.perf_counter() - start) / (MESA_AGENTS * MESA_STEPS)


def _child(task: str, args: tuple, queue: mp.Queue) -> None:
    queue.put(_mesa_seconds_per_agent_step() if task == "mesa" else _measure(*args))


def in_fresh_process(task: str, *args: object) -> object:
    """Run a measurement in a new interpreter (spawn), so RSS and imports start clean."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(task, args, queue))
    process.start()
    result = queue.get()
    process.join()
    if process.exitcode != 0:
        raise RuntimeError(f"benchmark child {task}{args} failed ({process.exitcode})")
    return result


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def load_note() -> str:
    """The machine's load averages when the figures were taken."""
    try:
        one, five, _ = (float(x) for x in Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "load unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min)"


def growth_exponent(sizes: list[int], seconds: list[float]) -> float:
    """Slope of log(time) on log(holders): 1 is linear."""
    return float(np.polyfit(np.log(sizes), np.log(seconds), 1)[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holders", type=int, nargs="+", default=SIZES)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--trace", action="store_true", help="add a tracemalloc run per size")
    args = parser.parse_args(argv)
    from sim.core.version import code_version

    print(f"cpf-sim {code_version()} benchmark, seed {args.seed}, one process per measurement")
    print(f"{load_note()} at the start\n")
    mesa_s = float(in_fresh_process("mesa"))  # type: ignore[arg-type]
    print(
        f"Mesa empty shuffle_do loop: {1 / mesa_s / 1e6:.2f} M agent-steps/s "
        f"(at {MESA_AGENTS:,} agents)\n"
    )
    header = (
        f"{'holders':>12} {'wall s':>8} {'cpu s':>8} {'M h-m/s':>8} {'peak RSS':>10} "
        f"{'B/holder':>9} {'state B/h':>9} {'x Mesa':>7}  target"
    )
    print(header)
    walls: list[float] = []
    months = 0
    for holders in args.holders:
        r = in_fresh_process("run", holders, args.seed, False)
        assert isinstance(r, dict)
        months = int(r["months"])
        holder_months = holders * months
        walls.append(r["wall_s"])
        target = TARGET_SECONDS.get(holders)
        note = "" if target is None else f"< {target:g} s: {verdict(r['wall_s'] < target)}"
        if holders >= 40_000_000:
            note += f"; RSS < 6 GB: {verdict(r['rss'] < TARGET_RSS_BYTES)}"
        ratio = mesa_s * holder_months / r["wall_s"]
        print(
            f"{holders:>12,} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f} "
            f"{holder_months / r['wall_s'] / 1e6:>8.1f} {r['rss'] / 2**20:>8.0f} MiB "
            f"{r['rss'] / holders:>9.0f} {r['state_bytes'] / holders:>9.1f} {ratio:>7.0f}  "
            f"{note}",
            flush=True,
        )
        if args.trace:
            t = in_fresh_process("run", holders, args.seed, True)
            assert isinstance(t, dict)
            print(
                f"{'':>12} traced peaks: creation {t['peak_create'] / holders:.0f} B/holder, "
                f"monthly steps {t['peak_steps'] / holders:.0f} B/holder",
                flush=True,
            )
    print(f"\n{load_note()} at the end")
    sizes = args.holders
    if len(sizes) >= 2:
        print(f"growth exponent of time in holders: {growth_exponent(sizes, walls):.2f}")
        # 4x the holders for at most 4.5x the time: an exponent of log 4.5 / log 4 per step
        allowed = math.log(TARGET_GROWTH_4X) / math.log(4)
        for i in range(len(sizes) - 1):
            (a, ta), (b, tb) = (sizes[i], walls[i]), (sizes[i + 1], walls[i + 1])
            limit = (b / a) ** allowed
            ok = f" (target <= {limit:.2f}x: {verdict(tb / ta <= limit)})" if a >= 1e6 else ""
            print(f"  {a:,} -> {b:,} holders ({b / a:g}x): time x{tb / ta:.2f}{ok}")
    ratios = [mesa_s * h * months / w for h, w in zip(sizes, walls, strict=True)]
    print(
        f"faster than Mesa's empty loop: {min(ratios):.0f}x to {max(ratios):.0f}x "
        f"(target >= {TARGET_MESA_RATIO:g}x: {verdict(min(ratios) >= TARGET_MESA_RATIO)})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
