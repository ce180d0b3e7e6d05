"""A design as a sweep: jobs = design points x cases x seeds, run by the usual machinery.

A preset selects the manifest sweeper and states the design under `hydra.sweeper.design`
(configs/experiment/morris.yaml, sobol.yaml, lhs.yaml; schema `DesignConf` of
`sim.tooling.manifest_sweeper`). `cpf-sim -m +experiment=morris` then
samples the design (deterministic from its seed), validates every point and every case before
anything is written, lists the jobs in sweep.json and the design in design.json; Hydra's
launchers (local processes, SLURM, Ray) run the jobs through `sim.tooling.manifest_sweeper`, so
a design resumes, records failures and ends in the same tidy tables as any sweep.

Each job is the command line's overrides, its case's (a lever set), the point's parameter
values (`key=value`; a list parameter written whole) and `label=<case>.p<point>`, `seed=<s>`:
run folders are `label=<case>.p<point>,seed=<s>`. Every case and point runs the same seeds
(common random numbers), so a lever's effect at a point is paired seed by seed.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from omegaconf import OmegaConf

from sim.config import load_params
from sim.core.errors import ConfigError
from sim.tooling.jobs import SWEEPS_DIR, SweepPlan, bare_key, run_name, sweep_folder, sweeper_config
from sim.tooling.manifest import write_json
from sim.tooling.sensitivity.designs import Design, DesignSettings, make_design
from sim.tooling.sensitivity.uncertainties import (
    load_uncertainties,
    split_key,
    with_values,
)

DESIGN_FILE = "design.json"
KEPT_IN_NAMES = ("label", "seed")


@dataclass(frozen=True)
class DesignPlan:
    """A design's sweep, and what the analysis needs to read it back (design.json)."""

    sweep: SweepPlan
    design: Design
    cases: dict[str, tuple[str, ...]]
    seeds: tuple[int, ...]
    baseline: str
    points: tuple[int, ...]  # each job's design point
    job_cases: tuple[str, ...]  # each job's case

    def record(self) -> dict[str, Any]:
        """design.json: settings, SALib problem, unit sample, values, cases, seeds, jobs."""
        settings = self.design.settings
        return {
            "method": settings.method,
            "settings": {
                "size": settings.size,
                "seed": settings.seed,
                "factors": list(settings.factors),
                "groups": settings.groups,
                "levels": settings.levels,
                "source": settings.source,
            },
            "plausible": settings.method == "plausible",
            "uncertainties": self.design.uncertainties.name,
            "problem": self.design.problem,
            "factors": self.design.factor_names(),
            "unit": self.design.unit.tolist(),
            "values": [self.design.values(i) for i in range(self.design.points)],
            "cases": {name: list(o) for name, o in self.cases.items()},
            "baseline": self.baseline,
            "seeds": list(self.seeds),
            "jobs": [
                {"run": name, "point": point, "case": case, "seed": int(job[-1].split("=")[1])}
                for name, point, case, job in zip(
                    self.sweep.names, self.points, self.job_cases, self.sweep.jobs, strict=True
                )
            ],
        }


def design_node(command_line: Sequence[str], sweeper: Any = None) -> dict[str, Any] | None:
    """`hydra.sweeper.design` of the config a command line selects (None: not a design).

    `sweeper`: the command line's `sweeper_config`, if already composed.

    Raises:
        ConfigError: the command line cannot be parsed.
    """
    if sweeper is None:
        sweeper = sweeper_config(command_line)
    node = sweeper.get("design")
    if node is None:
        return None
    out = OmegaConf.to_container(node, resolve=True)
    assert isinstance(out, dict)
    return {str(k): v for k, v in out.items()}


def _cases(node: Mapping[str, Any]) -> dict[str, tuple[str, ...]]:
    """Case name -> its overrides ("+experiment/levers=none regulation.x=...")."""
    cases = node.get("cases")
    if not isinstance(cases, Mapping) or not cases:
        raise ConfigError(
            "design.cases", cases, "a mapping case name -> overrides (one case at least)"
        )
    out = {}
    for name, text in cases.items():
        if not str(name).replace("_", "").isalnum():
            raise ConfigError("design.cases", name, "case names of letters, digits and '_'")
        out[str(name)] = tuple(shlex.split(str(text or "")))
    return out


def _settings(node: Mapping[str, Any]) -> DesignSettings:
    """The sampling settings of a design node (typed and complete: `DesignConf`)."""
    return DesignSettings(
        method=node["method"],
        size=node["size"],
        seed=node["seed"],
        factors=tuple(node["factors"]),
        groups=node["groups"],
        levels=node["levels"],
        source=node["source"],
    )


def override_text(key: str, value: Any) -> str:
    """`key=value` in Hydra's grammar, exact for floats (repr round-trips)."""
    if isinstance(value, list):
        return f"{key}=[" + ",".join(repr(v) for v in value) + "]"
    return f"{key}={value!r}"


def point_overrides(design: Design, point: int, base: Any) -> list[str]:
    """The overrides that set one point's values (list parameters written whole)."""
    values = design.values(point)
    lists: dict[str, list[Any]] = {}
    out = []
    for key, value in values.items():
        section, name, index = split_key(key)
        if index is None:
            out.append(override_text(key, value))
        else:
            whole = f"{section}.{name}"
            lists.setdefault(whole, list(getattr(getattr(base, section), name)))[index] = value
    out += [override_text(key, value) for key, value in lists.items()]
    return out


def plan_design(
    command_line: Sequence[str], node: Mapping[str, Any], sweeps_dir: Path = SWEEPS_DIR
) -> DesignPlan:
    """Sample the design, validate every case and point, and lay out its jobs and folders.

    Raises:
        ConfigError: a bad setting, case, uncertainty or point (one line), before any work.
    """
    line = " ".join(command_line)
    parsed = OverridesParser.create().parse_overrides(list(command_line))
    if any(o.is_sweep_override() for o in parsed):
        why = "a design sets its own points and seeds (hydra.sweeper.design.seeds=N): no a,b, range"
        raise ConfigError("command line", line, why)
    common = [o.input_line for o in parsed if not o.is_hydra_override() and o.input_line]
    settings = _settings(node)
    seeds = node["seeds"]
    if seeds < 1:
        raise ConfigError("design.seeds", seeds, "a whole number of seeds >= 1")
    cases = _cases(node)
    baseline = node["baseline"] or next(iter(cases))
    if baseline not in cases:
        raise ConfigError("design.baseline", baseline, "one of the cases: " + ", ".join(cases))
    base = load_params(common)
    declared = load_uncertainties(node["uncertainties"], base)
    design = make_design(settings, declared)
    for name, overrides in cases.items():
        try:
            load_params([*common, *overrides])
        except ConfigError as error:
            raise ConfigError(f"design.cases.{name}", " ".join(overrides), str(error)) from None
    rows = []
    for point in range(design.points):
        values = design.values(point)
        try:
            with_values(base, values)
        except ConfigError as error:
            raise ConfigError(
                f"design point {point}: {error.key}", error.value, error.allowed
            ) from None
        rows.append(point_overrides(design, point, base))
    jobs, points, job_cases = [], [], []
    for point, row in enumerate(rows):
        for name, overrides in cases.items():
            for seed in range(seeds):
                jobs.append(
                    (*common, *overrides, *row, f"label={name}.p{point:04d}", f"seed={seed}")
                )
                points.append(point)
                job_cases.append(name)
    keys = {bare_key(o.split("=", 1)[0]) for job in jobs for o in job}
    exclude = sorted(keys - set(KEPT_IN_NAMES))
    sweep_dir, extra = sweep_folder(command_line, sweeps_dir)
    sweep = SweepPlan(
        command_line=tuple(command_line),
        sweeper_params={},
        jobs=tuple(jobs),
        names=tuple(run_name(job, exclude) for job in jobs),
        sweep_dir=sweep_dir,
        hydra_overrides=(
            *extra,
            "hydra.job.config.override_dirname.exclude_keys=["
            + ",".join(repr(k) for k in exclude)
            + "]",
            f"hydra.sweeper.manifest='{(sweep_dir / 'sweep.json').as_posix()}'",
        ),
    )
    return DesignPlan(
        sweep, design, cases, tuple(range(seeds)), baseline, tuple(points), tuple(job_cases)
    )


def write_design(plan: DesignPlan) -> None:
    """Write design.json into the sweep folder (before the first run, with sweep.json)."""
    plan.sweep.sweep_dir.mkdir(parents=True, exist_ok=True)
    write_json(plan.sweep.sweep_dir / DESIGN_FILE, plan.record())
