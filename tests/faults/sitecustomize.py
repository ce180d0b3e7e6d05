"""Test-only fault injection for sweep subprocesses; never part of the product.

The sweep tests put this folder on PYTHONPATH (see `sweep_helpers.sweep_env`), so Python
imports it at start-up in the command's process and in every worker process. It then wraps
`sim.api.run`, the call that simulates one run:

- `CPF_TEST_FAULTS`: JSON object mapping a seed to a fault for runs with that seed:
  "raise" (RuntimeError), "kill" (the run's process sends itself SIGKILL, as the OOM killer
  would), or "sleep:S" (sleep S seconds before running); the key "tables" with the value
  "disk_full" makes writing a sweep's runs.parquet fail as on a full disk;
- `CPF_TEST_RUN_LOG`: a file to which every run appends one line "<label> <seed> <pid>";
- `CPF_TEST_TOY`: "ishigami:KEY1,KEY2,KEY3" replaces the model by the Ishigami function of three
  parameters in [0, 1] (each mapped to [-pi, pi]), recorded as the run's `fraud_loss_eur`, so
  a sensitivity design's wiring can be checked end to end against known indices.
"""

import json
import os

_FAULTS = json.loads(os.environ.get("CPF_TEST_FAULTS") or "{}")
_LOG = os.environ.get("CPF_TEST_RUN_LOG")
_TOY = os.environ.get("CPF_TEST_TOY", "")

if _TOY.startswith("ishigami:"):
    import math

    import sim.api
    from sim.results import Results, metrics_frame, params_as_dict

    _KEYS = _TOY.split(":", 1)[1].split(",")

    def _ishigami(params=None, **kwargs):
        x = []
        for key in _KEYS:
            section, name = key.split(".")
            x.append(-math.pi + 2 * math.pi * getattr(getattr(params, section), name))
        y = math.sin(x[0]) + 7 * math.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * math.sin(x[0])
        totals = {"fraud_loss_eur": y, "legit_enrolments": 0.0, "useful_enrolments": 0.0}
        series = {name: [0.0] * params.n_months for name in totals}
        summary = {**totals, "label": params.label, "seed": params.seed, "months": params.n_months}
        return Results(metrics_frame(series, params.n_months), summary, params_as_dict(params))

    sim.api.run = _ishigami

if _FAULTS or _LOG:
    import signal
    import time

    import sim.api

    _original = sim.api.run

    def _run(params=None, **kwargs):
        if params is not None:
            if _LOG:
                with open(_LOG, "a") as log:
                    log.write(f"{params.label} {params.seed} {os.getpid()}\n")
            fault = _FAULTS.get(str(params.seed), "")
            if fault == "raise":
                raise RuntimeError(f"test failure injected for seed {params.seed}")
            if fault == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if fault.startswith("sleep:"):
                time.sleep(float(fault.split(":", 1)[1]))
        return _original(params, **kwargs)

    sim.api.run = _run

if _FAULTS.get("tables") == "disk_full":
    import errno

    import sim.tooling.tables

    _write = sim.tooling.tables.atomic_write

    def _atomic_write(target, write):
        if target.name == "runs.parquet":
            raise OSError(errno.ENOSPC, "No space left on device (injected)", str(target))
        return _write(target, write)

    sim.tooling.tables.atomic_write = _atomic_write
