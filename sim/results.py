"""Results of one run: monthly metrics (pandas), run totals (dict), saved as Parquet + JSON."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.core.calendar import month_label

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
    """Read a run folder written by `Results.save`."""
    folder = Path(path)
    if not (folder / SUMMARY_FILE).exists():
        raise FileNotFoundError(f"{folder} holds no {SUMMARY_FILE}: not a complete cpf-sim run")
    config_path = folder / CONFIG_FILE
    config = yaml.safe_load(config_path.read_text()) if config_path.exists() else {}
    return Results(
        metrics=pd.read_parquet(folder / METRICS_FILE),
        summary=json.loads((folder / SUMMARY_FILE).read_text()),
        config=config,
    )


def metrics_frame(series: dict[str, Any], n_months: int) -> pd.DataFrame:
    """Tidy monthly table from the finalised series."""
    frame = pd.DataFrame({name: values for name, values in sorted(series.items())})
    frame.insert(0, "month", [month_label(m) for m in range(n_months)])
    return frame


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
