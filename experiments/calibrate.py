"""Fit the free behavioural parameters to the pre-reform targets (up to September 2022).

    .venv/bin/python experiments/calibrate.py [--method least_squares|nelder_mead]
        [--evaluations 200] [--holders 30000] [--seeds 0 1 2]

Works on the log of each free parameter, scaled to its bounds, from the current defaults (the
priors in sim/params.py, or the values already in configs/calibration/fitted.yaml). The default
optimiser is scipy.optimize.least_squares (trust-region reflective, bounded) on the residuals of
the loss, with large finite-difference steps (10% of each log-range): the simulated targets are
noisy in the parameters (agents enter and exit one by one), and a small step would measure the
noise rather than the slope. Nelder-Mead is kept as an option; on this noisy loss it shrinks its
simplex around the start (see docs/calibration.md). Each evaluation runs the historical
scenario to September 2022
for the same seeds (common random numbers: every candidate meets the same luck), averages the
series over seeds and scores the targets of sim/calibration/targets.csv. The trace is printed;
the best point is written to configs/calibration/fitted.yaml. Deterministic for given options.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import numpy as np
from scipy.optimize import least_squares, minimize

from sim.calibration.free import FITTED_YAML, FREE, KEYS, base_params, current_values, with_values
from sim.calibration.loss import loss, mean_series, residuals, simulate
from sim.calibration.targets import LAST_CALIBRATION_MONTH, load_targets

LOW = np.log([low for _, low, _ in FREE])
HIGH = np.log([high for _, _, high in FREE])


def to_unit(values: dict[str, float]) -> np.ndarray:
    """Parameter values -> [0, 1] coordinates on the log scale."""
    x = np.log([values[k] for k in KEYS])
    return (x - LOW) / (HIGH - LOW)


def from_unit(u: np.ndarray) -> dict[str, float]:
    """[0, 1] coordinates (clipped to the bounds) -> parameter values."""
    x = LOW + np.clip(u, 0.0, 1.0) * (HIGH - LOW)
    return {k: float(v) for k, v in zip(KEYS, np.exp(x), strict=True)}


def write_fitted(values: dict[str, float], note: str) -> None:
    """Write the fitted values as a Hydra config group option (`# @package _global_`)."""
    sections: dict[str, dict[str, float]] = {}
    for key, value in values.items():
        section, name = key.split(".")
        sections.setdefault(section, {})[name] = value
    lines = ["# @package _global_", *(f"# {line}" for line in note.splitlines()), ""]
    for section, fields in sections.items():
        lines.append(f"{section}:")
        for name, value in fields.items():
            lines.append(f"  {name}: {float(f'{value:.4g}')}")
    FITTED_YAML.parent.mkdir(parents=True, exist_ok=True)
    FITTED_YAML.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--method", choices=("least_squares", "nelder_mead"), default="least_squares"
    )
    parser.add_argument("--evaluations", type=int, default=180, help="max model evaluations")
    parser.add_argument("--holders", type=int, default=30_000, help="simulated holders per run")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="common seeds")
    parser.add_argument(
        "--step", type=float, default=0.08, help="initial simplex step (unit scale)"
    )
    parser.add_argument("--dry-run", action="store_true", help="evaluate the start point only")
    args = parser.parse_args()

    targets = load_targets()
    base = base_params([f"end={LAST_CALIBRATION_MONTH}", f"population.holders={args.holders}"])
    start = current_values(base)
    fitted = [t for t in targets if t.weight > 0]
    print(
        f"Fitting {len(KEYS)} parameters to {len(fitted)} weighted targets "
        f"({len(targets) - len(fitted)} reported only); "
        f"{args.holders:,} holders, seeds {args.seeds}"
    )
    best: dict[str, object] = {"loss": np.inf}
    count = 0
    began = time.time()

    def evaluate(u: np.ndarray) -> tuple[float, np.ndarray]:
        nonlocal count
        count += 1
        values = from_unit(u)
        params = with_values(base, values)
        series = mean_series([simulate(params, seed) for seed in args.seeds])
        value, simulated = loss(targets, series)
        # Leaving the box is penalised (the clip above keeps the model inside it).
        value += 10.0 * float(np.sum(np.maximum(0.0, u - 1) ** 2 + np.maximum(0.0, -u) ** 2))
        if value < best["loss"]:
            best.update(loss=value, values=values, simulated=simulated)
            mark = "*"
        else:
            mark = " "
        print(
            f"{count:4d} {time.time() - began:7.0f}s "
            f"loss {value:9.4f} {mark} best {best['loss']:.4f}",
            flush=True,
        )
        return value, residuals(targets, series)

    def objective(u: np.ndarray) -> float:
        return evaluate(u)[0]

    def residual_vector(u: np.ndarray) -> np.ndarray:
        return evaluate(u)[1]

    u0 = to_unit(start)
    if args.dry_run:
        objective(u0)
    elif args.method == "least_squares":
        # Coordinates shifted to [1, 2] so that the relative `diff_step` is a similar absolute
        # step (about 7% of each log-range, i.e. 15-40% of the parameter) for every parameter.
        least_squares(
            lambda v: residual_vector(v - 1.0),
            np.clip(u0, 0.0, 1.0) + 1.0,
            bounds=(1.0, 2.0),
            method="trf",
            diff_step=0.05,
            x_scale=1.0,
            max_nfev=max(1, args.evaluations // (len(KEYS) + 1)),
            verbose=0,
        )
    else:
        simplex = np.vstack(
            [u0] + [u0 + args.step * np.eye(len(KEYS))[i] for i in range(len(KEYS))]
        )
        minimize(
            objective,
            u0,
            method="Nelder-Mead",
            options={
                "maxfev": args.evaluations,
                "initial_simplex": simplex,
                "xatol": 1e-3,
                "fatol": 1e-4,
                "adaptive": True,
            },
        )
    values = best["values"]
    print("\nBest loss", round(float(best["loss"]), 4))
    for key in KEYS:
        print(f"  {key:40s} {start[key]:10.4g} -> {values[key]:10.4g}")
    print("\nTargets (mean over seeds at the best point):")
    for target in targets:
        sim = best["simulated"][target.name]
        flag = "ok " if target.fits(sim) else "MISS"
        print(
            f"  {flag} {target.name:28s} observed {target.value:12.4g} simulated {sim:12.4g} "
            f"({100 * target.distance(sim):+.0f}%, tolerance {100 * target.tolerance:.0f}%)"
        )
    if not args.dry_run:
        note = (
            f"Calibrated free parameters, written by experiments/calibrate.py on "
            f"{dt.date.today().isoformat()}.\n"
            f"{args.method} on log-scaled parameters, {count} evaluations, "
            f"{args.holders:,} holders, "
            f"seeds {args.seeds} (common random numbers),\n"
            f"historical scenario to {LAST_CALIBRATION_MONTH}; "
            "targets: sim/calibration/targets.csv "
            f"(public figures up to Sept 2022 only).\n"
            f"Loss {float(best['loss']):.4f}. Do not edit by hand: re-run the script. "
            f"See docs/calibration.md."
        )
        write_fitted(values, note)
        print(f"\nWrote {FITTED_YAML}")


if __name__ == "__main__":
    main()
