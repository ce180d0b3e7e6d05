#!/usr/bin/env bash
# Regenerate every curated reference result from the current (clean) commit, in order:
#   results/calibration/   experiments/validate.py      (the fit, 10 seeds, to Sep 2022)
#   results/historical/    experiments/predict.py       (the historical scenario, 10 seeds)
#   results/lever_comparison/  run_reference.sh         (each lever alone vs none, 20 seeds)
#   results/counterfactuals/   run_reference.sh         (one-change counterfactuals, 10 seeds)
#   results/model_checks/  experiments/model_checks.py  (the structural checks, 10 seeds)
# All at the default population (100,000 holders); local worker processes on every core.
#   bash experiments/regenerate_references.sh            # everything (about an hour here)
# Refuses to run on a dirty tree: reference results say which commit made them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain -- sim configs experiments pyproject.toml)" ]; then
  echo "regenerate_references: commit sim/, configs/, experiments/ first (results record the commit)" >&2
  exit 2
fi
[ -x .venv/bin/python ] || bash .ci/setup.sh dev
.venv/bin/python experiments/validate.py
.venv/bin/python experiments/predict.py
bash experiments/run_reference.sh
CPF_PRESET=counterfactuals CPF_OUT=results/counterfactuals CPF_BASELINE=historical \
  bash experiments/run_reference.sh
.venv/bin/python experiments/model_checks.py
echo "All reference results regenerated from $(git rev-parse --short HEAD)"
