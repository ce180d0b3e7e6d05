#!/usr/bin/env bash
# Reproduce results/lever_comparison/: run the lever_comparison sweep (14 scenarios x 20 seeds,
# default population, local worker processes on every core), compare every scenario with `none`,
# and copy the small outputs (report.md, figures, runs.parquet if under 1 MB) to the results folder.
#
#   bash experiments/run_reference.sh                       # the reference (long: see docs/sweeps.md)
#   CPF_PRESET=smoke CPF_OUT=/tmp/ref bash experiments/run_reference.sh   # a 4-run rehearsal
#   bash experiments/run_reference.sh hydra.launcher.n_jobs=1           # extra cpf-sim overrides
#   CPF_PRESET=counterfactuals CPF_OUT=results/counterfactuals CPF_BASELINE=historical \
#     bash experiments/run_reference.sh                     # another preset, another baseline
#
# Re-running skips the runs already complete in results/sweeps/<preset>/ (e.g. after a crash).
set -euo pipefail
cd "$(dirname "$0")/.."
preset="${CPF_PRESET:-lever_comparison}"
out="${CPF_OUT:-results/lever_comparison}"
[ -x .venv/bin/python ] || bash .ci/setup.sh dev

.venv/bin/cpf-sim -m "+experiment=$preset" "$@"
sweep="results/sweeps/$(.venv/bin/python -c 'import sys; from sim.tooling.jobs import sweep_name; print(sweep_name(sys.argv[1:]))' "+experiment=$preset" "$@")"
.venv/bin/cpf-compare "$sweep" --baseline "${CPF_BASELINE:-none}"

mkdir -p "$out"
cp "$sweep"/report.md "$sweep"/report.html "$sweep"/*.png "$sweep"/*.csv "$sweep"/tables.xlsx "$out"/
if [ "$(stat -c %s "$sweep/runs.parquet")" -lt 1000000 ]; then cp "$sweep/runs.parquet" "$out"/; fi
echo "Reference results copied to $out (from $sweep)"
