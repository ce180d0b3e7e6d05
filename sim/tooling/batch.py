"""Scenarios x seeds from Python, as tidy pandas frames: `sim.sweep` and `sim.compare`.

For notebooks: no files, no Hydra launcher; runs in this process (`workers=1`) or in worker
processes (`workers=N`, spawned, so no state is shared), with a progress bar (`tqdm.auto`:
a widget in Jupyter). Every variant runs the same seeds, so `compare` pairs them seed by seed
(common random numbers) as `cpf-compare` does. For long sweeps, resumable and on a cluster,
use `cpf-compare run` or `cpf-sim -m` instead.
"""

from __future__ import annotations

import multiprocessing
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

import pandas as pd

from sim.api import ScheduleMergeWarning, keyword_overrides, run
from sim.results import outcome_attrs
from sim.run_notes import describe_overrides
from sim.tooling.compare_words import effects_frame
from sim.tooling.periods import windowed_runs
from sim.tooling.stats import paired_differences

Variant = str | Sequence[str] | Mapping[str, Any]


def _keywords(name: str, variant: Variant) -> dict[str, Any]:
    """`sim.run` keywords of a variant: a scenario name, a list of overrides, or keywords."""
    if isinstance(variant, str):
        return {"scenario": variant}
    if isinstance(variant, Mapping):
        allowed = {"scenario", "levers", "overrides"}
        if set(variant) - allowed:
            unknown = sorted(set(variant) - allowed)
            raise TypeError(f"variant {name!r}: unknown keys {unknown}; allowed {sorted(allowed)}")
        return dict(variant)
    return {"overrides": list(variant)}


def _one(name: str, keywords: dict[str, Any], seed: int) -> tuple[dict[str, Any], pd.DataFrame]:
    """One run: its summary (with scenario and seed) and its monthly table."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScheduleMergeWarning)  # said once per variant
        overrides = [*keywords.get("overrides", ()), f"label={name}"]
        results = run(**{**keywords, "overrides": overrides}, seed=seed)
    metrics = results.metrics.assign(scenario=name, seed=seed)
    return {"scenario": name, "seed": seed, **results.summary}, metrics


def sweep(
    variants: Mapping[str, Variant],
    seeds: int | Sequence[int] = 10,
    *,
    holders: int | None = None,
    end: str | None = None,
    workers: int = 1,
    progress: bool = True,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Run every variant on the same seeds; returns (runs, metrics) as tidy frames.

    Args:
        variants: name -> a scenario name ("none"), a list of overrides, or `sim.run` keywords
            ({"scenario": "historical", "levers": {"copayment_eur": {"2025-01": 150}}}).
        seeds: a number of seeds (0..n-1) or the seeds themselves.
        holders: simulated holders of every run (default: the configuration's).
        end: last month of every run.
        workers: processes to run in (1: this process).
        progress: show a progress bar.

    Returns:
        runs: one row per (scenario, seed) with every run total (national equivalents);
        metrics: one row per (scenario, seed, month), `month` a pandas Period. Both carry the
        outcomes' labels and units in `.attrs["outcomes"]`.

    Raises:
        ConfigError: a variant is invalid (checked before any run).
    """
    from tqdm.auto import tqdm

    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(seeds)
    jobs = []
    for name, variant in variants.items():
        keywords = {**_keywords(name, variant), "holders": holders, "end": end}
        fixed = {k: keywords.get(k) for k in ("scenario", "levers")}
        given = keyword_overrides(fixed["scenario"], None, fixed["levers"], holders, end)
        for text in describe_overrides([*given, *keywords.get("overrides", ())]).warnings:
            warnings.warn(f"{name}: {text}", ScheduleMergeWarning, stacklevel=2)
        jobs += [(name, keywords, seed) for seed in seed_list]
    bar = tqdm(total=len(jobs), desc="runs", disable=not progress)
    done: list[tuple[dict[str, Any], pd.DataFrame]] = []
    if workers <= 1:
        for job in jobs:
            done.append(_one(*job))
            bar.update()
    else:
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for future in as_completed([pool.submit(_one, *job) for job in jobs]):
                done.append(future.result())
                bar.update()
    bar.close()
    order = {(name, seed): i for i, (name, _, seed) in enumerate(jobs)}
    done.sort(key=lambda item: order[(item[0]["scenario"], item[0]["seed"])])
    runs = pd.DataFrame([summary for summary, _ in done])
    runs.insert(2, "status", "ok")
    runs.insert(
        0, "run", [f"{s}/seed={k}" for s, k in zip(runs["scenario"], runs["seed"], strict=True)]
    )
    metrics = pd.concat([m for _, m in done], ignore_index=True)
    metrics.insert(
        0,
        "run",
        [f"{s}/seed={k}" for s, k in zip(metrics["scenario"], metrics["seed"], strict=True)],
    )
    metrics["month"] = pd.PeriodIndex(metrics["month"].astype(str), freq="M")
    for frame in (runs, metrics):
        frame.attrs["outcomes"] = outcome_attrs(frame.columns)
    return runs, metrics


def _on_scenario(name: str, variant: Variant, scenario: str) -> dict[str, Any]:
    """The variant's keywords, on `scenario` unless it names its own (as `cpf-compare run`)."""
    keywords = _keywords(name, variant)
    own = any(str(o).startswith("scenario=") for o in keywords.get("overrides", ()))
    if "scenario" not in keywords and not own:
        keywords["scenario"] = scenario
    return keywords


def compare(
    baseline: Variant,
    variants: Mapping[str, Variant],
    seeds: int | Sequence[int] = 10,
    *,
    start: str | None = None,
    stop: str | None = None,
    holders: int | None = None,
    end: str | None = None,
    workers: int = 1,
    progress: bool = True,
) -> pd.DataFrame:
    """Paired differences of each variant against the baseline, over a window of months.

    Args:
        baseline: a scenario name, overrides or `sim.run` keywords (named 'baseline', or its
            scenario name when it is one).
        variants: name -> variant, as for `sweep`; when the baseline is a scenario name, a
            variant that names no scenario starts from it (as with `cpf-compare run`).
        seeds: a number of seeds or the seeds.
        start: first month of the window ('YYYY-MM'; default the run's start).
        stop: last month of the window (default the run's end).
        holders: simulated holders of every run.
        end: last month simulated.
        workers: processes to run in (1: this process).
        progress: show a progress bar.

    Returns:
        one row per (scenario, outcome): label, unit, seeds, baseline (mean), difference (mean
        paired difference), ci_low, ci_high (95%), percent, p_value and reads (better, worse,
        no clear change), national equivalents over the window.
    """
    name = baseline if isinstance(baseline, str) else "baseline"
    based = {
        k: _on_scenario(k, v, name) if isinstance(baseline, str) else v for k, v in variants.items()
    }
    runs, metrics = sweep(
        {name: baseline, **based},
        seeds,
        holders=holders,
        end=end,
        workers=workers,
        progress=progress,
    )
    if start or stop:
        runs = windowed_runs(runs, metrics, start, stop)
    columns = [c for c in runs.attrs["outcomes"] if runs[c].notna().all()]
    diffs = paired_differences(runs, name, columns)
    base = runs[runs["scenario"] == name][columns].mean()
    effects = effects_frame(diffs, {str(k): float(v) for k, v in base.items()})
    effects.attrs["outcomes"] = runs.attrs["outcomes"]
    effects.attrs["window"] = f"{start or 'start'} to {stop or 'end'}"
    return effects
