"""Speed-up of the default local sweep launcher with the number of workers (issue 13).

Runs the same sweep of `--runs` seeds with 1 and then 2 (or `--workers`) worker processes,
each sweep in a fresh folder, and prints the wall times and the speed-up; then a sweep of
one-month runs with one worker, whose time per run is the per-run start-up (Hydra's job set-up,
the forked run process, writing the results) plus one month.

    .venv/bin/python experiments/sweep_speedup.py                  # 20 runs of 100,000 holders
    .venv/bin/python experiments/sweep_speedup.py --holders 300000 --runs 10
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sweep_seconds(folder: Path, runs: int, workers: int, extra: list[str]) -> float:
    """Wall time of `cpf-sim -m seed=0..runs-1` with `workers` local workers."""
    args = [
        sys.executable,
        "-m",
        "sim",
        "-m",
        f"seed=range(0,{runs})",
        f"hydra.launcher.n_jobs={workers}",
        f"hydra.sweep.dir={folder}",
        *extra,
    ]
    env = dict(os.environ, MPLCONFIGDIR=str(folder / "mpl"), PYTHONWARNINGS="ignore")
    start = time.perf_counter()
    subprocess.run(args, cwd=ROOT, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def load_note() -> str:
    """The machine's load averages now."""
    one, five, _ = Path("/proc/loadavg").read_text().split()[:3]
    return f"load average {one} (1 min), {five} (5 min)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    size = [f"population.holders={args.holders}"]
    print(f"{args.runs} runs of {args.holders:,} holders; {load_note()}")
    with tempfile.TemporaryDirectory() as tmp:
        one = sweep_seconds(Path(tmp) / "one", args.runs, 1, size)
        print(f"  1 worker : {one:6.1f} s ({one / args.runs:.2f} s per run)", flush=True)
        many = sweep_seconds(Path(tmp) / "many", args.runs, args.workers, size)
        print(f"  {args.workers} workers: {many:6.1f} s   speed-up x{one / many:.2f}", flush=True)
        short = sweep_seconds(Path(tmp) / "short", args.runs, 1, ["end=2019-01", *size])
        print(f"  one-month runs, 1 worker: {short / args.runs:.2f} s per run (start-up)")
    print(load_note())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
