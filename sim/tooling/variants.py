"""`cpf-compare run BASELINE NAME='overrides' ... --seeds 10`: a paired comparison in one command.

Each variant is a scenario name (`none`, `historical`, a file of configs/scenario/) or
`NAME='override override ...'` (Hydra overrides, quoted as one shell word). When the baseline
is a scenario name, every variant starts from it (a variant that sets `scenario=` starts from
its own); otherwise from the default configuration. Every variant runs the same seeds (common
random numbers). The jobs are written into the sweep's manifest and run by Hydra's launchers
through `sim.tooling.manifest_sweeper`, so a comparison resumes like any sweep (run the same
command again), and the report is written at the end (`sim.tooling.compare.write_report`).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.config import CONFIG_DIR
from sim.core.errors import ConfigError
from sim.run_notes import describe_overrides, expand_replace
from sim.tooling.jobs import SWEEPS_DIR, SweepPlan, bare_key, run_name

NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,39}")
KEPT_IN_NAMES = ("label", "seed")


@dataclass(frozen=True)
class Variant:
    """One case of the comparison: its name (the label of its runs) and its overrides."""

    name: str
    overrides: tuple[str, ...]


def scenarios() -> list[str]:
    """The scenario files of configs/scenario/."""
    return sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))


def parse_variant(token: str) -> Variant:
    """'historical' (a scenario) or "copay150=regulation.copayment_eur={2025-01:150}".

    Raises:
        ConfigError: an unknown scenario, or a name that is not a short identifier.
    """
    name, sep, text = token.partition("=")
    if not sep:
        if token not in scenarios():
            raise ConfigError(
                "variant", token, "a scenario (" + ", ".join(scenarios()) + ") or NAME='overrides'"
            )
        return Variant(token, (f"scenario={token}",))
    if not NAME.fullmatch(name) or "." in name:
        allowed = "NAME='overrides' with NAME a short identifier (letters, digits, _ . -)"
        raise ConfigError("variant", token, allowed)
    try:
        overrides = tuple(shlex.split(text))
    except ValueError as error:
        raise ConfigError(f"variant {name}", text, f"unbalanced quotes ({error})") from None
    if not overrides:
        raise ConfigError(
            f"variant {name}", text, "at least one override, e.g. seed-free key=value"
        )
    return Variant(name, overrides)


def variant_jobs(
    variants: Sequence[Variant], seeds: int, common: Sequence[str]
) -> list[tuple[str, ...]]:
    """Every job: the common overrides, the baseline's scenario, the variant's, label and seed."""
    base = variants[0].overrides if variants[0].overrides[0].startswith("scenario=") else ()
    jobs = []
    for variant in variants:
        own = expand_replace(variant.overrides)
        start = () if any(o.startswith("scenario=") for o in own) else base
        for seed in range(seeds):
            jobs.append((*common, *start, *own, f"label={variant.name}", f"seed={seed}"))
    return jobs


def comparison_name(variants: Sequence[Variant]) -> str:
    """Folder name under results/sweeps/: 'compare_historical_vs_copay150'."""
    return "compare_" + variants[0].name + "_vs_" + "_".join(v.name for v in variants[1:])


def plan_comparison(
    variants: Sequence[Variant],
    seeds: int,
    common: Sequence[str] = (),
    folder: Path | None = None,
) -> SweepPlan:
    """The sweep of a comparison: its jobs, run folders ('label=NAME,seed=S') and Hydra options.

    Raises:
        ConfigError: no variant besides the baseline, two variants with one name, or no seed.
    """
    names = [v.name for v in variants]
    if len(variants) < 2:
        raise ConfigError("variants", " ".join(names), "a baseline and at least one variant")
    if len(set(names)) < len(names):
        raise ConfigError("variants", " ".join(names), "each variant has its own name")
    if seeds < 1:
        raise ConfigError("--seeds", seeds, "at least 1 (10 or more for a conclusion)")
    jobs = variant_jobs(variants, seeds, common)
    keys = {bare_key(o.split("=", 1)[0]) for job in jobs for o in job}
    exclude = sorted(keys - set(KEPT_IN_NAMES))
    sweep_dir = folder or SWEEPS_DIR / comparison_name(variants)
    manifest = sweep_dir / "sweep.json"
    return SweepPlan(
        command_line=tuple(o for v in variants for o in (f"# {v.name}", *v.overrides)),
        sweeper_params={},
        jobs=tuple(jobs),
        names=tuple(run_name(job, exclude) for job in jobs),
        sweep_dir=sweep_dir,
        hydra_overrides=(
            f"hydra.sweep.dir='{sweep_dir.as_posix()}'",
            "hydra.job.config.override_dirname.exclude_keys=["
            + ",".join(repr(k) for k in exclude)
            + "]",
            "hydra/sweeper=cpf_manifest",
            f"hydra.sweeper.manifest='{manifest.as_posix()}'",
        ),
    )


def variant_notes(variants: Sequence[Variant], jobs: Sequence[Sequence[str]], seeds: int) -> str:
    """Each variant's levers in words where they differ from the baseline's, and warnings.

    Raises:
        ConfigError: a variant's overrides are invalid.
    """
    described = [
        describe_overrides([o for o in jobs[i * seeds] if not o.startswith(("label=", "seed="))])
        for i in range(len(variants))
    ]
    base = described[0].levers
    lines = [f"{variants[0].name} (baseline): " + "; ".join(f"{k}: {v}" for k, v in base.items())]
    for variant, notes in zip(variants[1:], described[1:], strict=True):
        changed = {k: v for k, v in notes.levers.items() if base.get(k) != v}
        gone = [k for k in base if k not in notes.levers]
        text = "; ".join(f"{k}: {v}" for k, v in changed.items())
        text += "".join(f"; {k}: off" for k in gone)
        lines.append(f"{variant.name}: " + (text.lstrip("; ") or "same levers as the baseline"))
        lines += [f"warning ({variant.name}): {w}" for w in notes.warnings]
    return "\n".join(lines)
