"""Results of one run: monthly metrics (pandas), run totals (dict), saved as Parquet + JSON."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.core.calendar import month_label
from sim.core.errors import ConfigError
from sim.outcomes import OUTCOMES
from sim.params import SECTIONS, SimParams

REPR_TOTALS = ("fraud_loss_eur", "useful_enrolments")
PLOTTED = ("enrolments", "useful_enrolments", "fraud_loss_eur")
METRICS_FILE = "metrics.parquet"
SUMMARY_FILE = "summary.json"
CONFIG_FILE = "config.yaml"


@dataclass
class Results:
    """What one run produced.

    Attributes:
        metrics: one row per month ('month' as 'YYYY-MM'), one column per outcome series.
        summary: run totals keyed by outcome name, plus 'seed', 'version', 'scale', 'label',
            'holders', 'months' and 'lever_changes' (lever -> months it changed).
        config: the resolved parameters as plain data.
    """

    metrics: pd.DataFrame
    summary: dict[str, Any]
    config: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        """One line: what ran and two headline totals (the full tables are attributes)."""
        s = self.summary
        head = ", ".join(
            f"{OUTCOMES[name].label} {OUTCOMES[name].shown(s[name])}"
            for name in REPR_TOTALS
            if name in s
        )
        return (
            f"<Results {s.get('label', '?')!r} seed {s.get('seed', '?')}, "
            f"{s.get('start', '?')}..{s.get('end', '?')}, {s.get('holders', 0):,} holders, "
            f"{self.metrics.shape[1] - 1} monthly series; {head}>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The monthly table with `month` as a pandas Period (monthly) index.

        `frame.attrs["outcomes"]` maps each column to its label, unit and which way is better
        (the outcome registry, `sim.outcomes`).
        """
        frame = self.metrics.copy()
        frame.index = pd.PeriodIndex(frame.pop("month").astype(str), freq="M", name="month")
        frame.attrs["outcomes"] = outcome_attrs(frame.columns)
        return frame

    def plot(self, *names: str, axes: Any = None) -> Any:
        """Plot monthly series (default: enrolments, useful enrolments, fraud loss).

        Each panel is titled with the outcome's label and display unit. Returns the axes.
        """
        import matplotlib.pyplot as plt

        names = names or PLOTTED
        unknown = [n for n in names if n not in self.metrics]
        if unknown:
            raise KeyError(f"not a monthly series: {', '.join(unknown)}")
        if axes is None:
            _, axes = plt.subplots(len(names), 1, figsize=(7, 2.4 * len(names)), sharex=True)
        frame = self.to_frame()
        for ax, name in zip(list(getattr(axes, "flat", [axes])), names, strict=True):
            outcome = OUTCOMES[name]
            (frame[name] / outcome.divisor).plot(ax=ax)
            ax.set_title(outcome.title, fontsize=9)
            ax.set_xlabel("")
        return axes

    def save(self, path: str | Path) -> Path:
        """Write config.yaml, metrics.parquet and summary.json into `path` (data only).

        Every file is written to a temporary name and renamed, so an interrupted save never
        leaves a complete-looking but truncated file; summary.json is written last and marks a
        complete run. Figures are tooling: `sim.tooling.plots.save_overview(results, path)`.
        """
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write(
            folder / CONFIG_FILE,
            lambda p: p.write_text(yaml.safe_dump(self.config, sort_keys=False)),
        )
        atomic_write(folder / METRICS_FILE, lambda p: self.metrics.to_parquet(p, index=False))
        atomic_write(
            folder / SUMMARY_FILE, lambda p: p.write_text(json.dumps(self.summary, indent=2))
        )
        return folder


def load(path: str | Path) -> Results:
    """Read a run folder written by `Results.save`, checking that every file is whole.

    Raises:
        FileNotFoundError: the folder holds no summary.json (not a complete run).
        ValueError: a file is unreadable, truncated or inconsistent with the others; the
            message (one line) names it.
    """
    folder = Path(path)
    if not (folder / SUMMARY_FILE).exists():
        raise FileNotFoundError(f"{folder} holds no {SUMMARY_FILE}: not a complete cpf-sim run")
    readers: dict[str, Callable[[Path], Any]] = {
        SUMMARY_FILE: lambda p: json.loads(p.read_text()),
        CONFIG_FILE: lambda p: yaml.safe_load(p.read_text()),
        METRICS_FILE: pd.read_parquet,
    }
    read = {}
    for name, reader in readers.items():
        try:
            read[name] = reader(folder / name)
        except (OSError, ValueError, yaml.YAMLError) as error:
            why = str(error).strip().splitlines()[0] if str(error).strip() else ""
            message = f"{folder}: {name} is unreadable ({type(error).__name__}: {why})"
            raise ValueError(message) from None
    summary, config, metrics = read[SUMMARY_FILE], read[CONFIG_FILE], read[METRICS_FILE]
    problem = _config_problem(config)
    if problem is None and "months" in summary and len(metrics) != summary["months"]:
        problem = (
            f"{METRICS_FILE} has {len(metrics)} months, {SUMMARY_FILE} says {summary['months']}"
        )
    if problem is not None:
        raise ValueError(f"{folder}: {problem}")
    return Results(metrics=metrics, summary=summary, config=config)


def _config_problem(config: Any) -> str | None:
    """Why a loaded config.yaml is not a whole set of parameters (None if it is, or is {}).

    A truncated file still parses as YAML: its last sections or keys are missing, or its last
    value is cut short, so every section must hold every parameter and the whole must make
    valid `SimParams`.
    """
    if config == {}:  # Results made by hand, without parameters
        return None
    where = f"{CONFIG_FILE} is truncated or invalid"
    if not isinstance(config, dict):
        return f"{where}: not a mapping"
    expected = {"seed", "end", "label", *SECTIONS}
    if set(config) != expected:
        return f"{where}: keys {sorted(expected ^ set(config))} differ from SimParams"
    sections = {}
    for name, cls in SECTIONS.items():
        fields_ = {f.name for f in fields(cls)}
        given = config[name]
        if not isinstance(given, dict) or set(given) != fields_:
            found = set(given) if isinstance(given, dict) else set()
            return f"{where}: section {name} lacks or adds {sorted(fields_ ^ found)}"
        try:
            sections[name] = cls(**given)
        except (ConfigError, TypeError) as error:
            return f"{where}: {name}.{error}"
    try:
        SimParams(seed=config["seed"], end=config["end"], label=config["label"], **sections)
    except (ConfigError, TypeError) as error:
        return f"{where}: {error}"
    return None


def metrics_frame(series: dict[str, Any], n_months: int) -> pd.DataFrame:
    """Tidy monthly table from the finalised series."""
    frame = pd.DataFrame({name: values for name, values in sorted(series.items())})
    frame.insert(0, "month", [month_label(m) for m in range(n_months)])
    return frame


def outcome_attrs(columns: Any) -> dict[str, dict[str, str]]:
    """Label, unit, kind and better direction of each column that is a registered outcome."""
    return {
        str(c): {
            "label": OUTCOMES[c].label,
            "unit": OUTCOMES[c].unit,
            "kind": OUTCOMES[c].kind,
            "better": OUTCOMES[c].better,
        }
        for c in columns
        if c in OUTCOMES
    }


def params_as_dict(params: Any) -> dict[str, Any]:
    """Plain-data view of `SimParams` for config.yaml."""
    return asdict(params)


def atomic_write(target: Path, write: Callable[[Path], Any]) -> None:
    """Write `target` through a temporary file renamed into place (never half-written)."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)  # mkstemp makes files private; results are meant to be shared
        os.replace(tmp_path, target)
    finally:
        tmp_path.unlink(missing_ok=True)
