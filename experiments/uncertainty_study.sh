#!/usr/bin/env bash
# Regenerate the reference uncertainty and sensitivity study (docs/sensitivity.md) into
# results/sensitivity/ (Morris screening, Sobol indices) and results/uncertainty/ (history
# matching, the levers over the plausible set), at 50,000 holders (volumes agree with 100,000 from
# 20,000 up; fraud levels drift with the size through report-triggered audits, ODD 2.8):
#
#   1. Morris over the 23 groups of configs/uncertainties/default.yaml    1 536 runs, 2019-2026
#   2. Sobol over the groups Morris ranks first (CPF_SOBOL_GROUPS, 15)     ~ 680 runs, 2019-2026
#   3. LHS of the calibration's groups, historical to 2022-09, 2 seeds       192 short runs
#      -> history matching -> the plausible set (plausible.json)
#   4. The levers over the plausible set (24 worlds x 11 cases x 2 seeds)    528 runs, 2019-2026
#   5. Sobol of the canvassing ban's fraud effect over its mechanism's six   512 runs, 2019-2026
#      parameters, one by one (the README's flag)
#
# About 3 500 runs of ~3 s (50,000 holders, 96 months) on 2 workers: about 2 hours on 2 cores
# (measured step by step in results/uncertainty/timings.txt: 125 min in all).
#   bash experiments/uncertainty_study.sh                        # the reference
#   CPF_REHEARSAL=1 CPF_OUT=/tmp/study bash experiments/uncertainty_study.sh
#       # the whole chain in a few minutes: 2,000 holders, 3 groups, tiny designs
#   CPF_NICE=10 CPF_WORKERS=1 ...                                # be kind to a shared machine
#   CPF_STEPS="lhs plausible ban_flag" ...                       # only these steps (Sobol takes
#       # its groups from the kept Morris report, results/sensitivity/morris/screening.json)
# Each step resumes: re-running skips complete runs (results/sweeps/study_*). If history
# matching rules out every world, step 4 is skipped and the lhs report says so.
set -euo pipefail
cd "$(dirname "$0")/.."
holders="${CPF_HOLDERS:-50000}"
workers="${CPF_WORKERS:-2}"
out="${CPF_OUT:-results}"
groups="${CPF_SOBOL_GROUPS:-15}"
morris=() sobol=() lhs=() plausible=() flag=()
if [ -n "${CPF_REHEARSAL:-}" ]; then
    holders=2000 groups=3
    morris=(hydra.sweeper.design.size=2 "hydra.sweeper.design.factors=[needs,identity_checks,canvassing]")
    sobol=(hydra.sweeper.design.size=2)
    lhs=(hydra.sweeper.design.size=10 "hydra.sweeper.design.factors=[needs,awareness]")
    plausible=(hydra.sweeper.design.size=2)
    flag=(hydra.sweeper.design.size=2)
fi
py=(nice -n "${CPF_NICE:-0}" "${PYTHON:-.venv/bin/python}")
sweeps=results/sweeps
log="$out/uncertainty/timings.txt"
mkdir -p "$out/sensitivity" "$out/uncertainty"
steps="${CPF_STEPS:-morris sobol lhs plausible ban_flag}"
wanted() { [[ " $steps " == *" $1 "* ]]; }
if [ -z "${CPF_STEPS:-}" ]; then
    : > "$log"
else  # keep the timings of the steps not re-run
    touch "$log"
    for name in $steps; do sed -i "/^$name: /d" "$log"; done
fi

step() {  # step NAME PRESET [overrides...]: run a design, write its report, time both
    local name="$1" preset="$2"; shift 2
    local start=$SECONDS
    "${py[@]}" -m sim -m "+experiment=$preset" "population.holders=$holders" \
        "hydra.launcher.n_jobs=$workers" "hydra.sweep.dir=$sweeps/study_$name" "$@"
    "${py[@]}" -m sim.tooling.sensitivity.cli "$sweeps/study_$name"
    echo "$name: $((SECONDS - start)) s" | tee -a "$log"
}

keep() {  # keep NAME DEST: copy a design's report (small files only) to DEST/NAME
    mkdir -p "$2/$1"
    cp "$sweeps/study_$1"/sensitivity/* "$sweeps/study_$1/design.json" "$2/$1"/
}

if wanted morris; then
    step morris morris "${morris[@]}"
    keep morris "$out/sensitivity"
fi

if wanted sobol; then
    top=$("${py[@]}" -c 'import json, sys; print(",".join(json.load(open(sys.argv[1]))["top_factors"][: int(sys.argv[2])]))' \
        "$out/sensitivity/morris/screening.json" "$groups")
    step sobol sobol "hydra.sweeper.design.factors=[$top]" "${sobol[@]}"
    keep sobol "$out/sensitivity"
fi

if wanted lhs; then
    step lhs lhs "${lhs[@]}"
    keep lhs "$out/uncertainty"
fi

if wanted plausible; then
    matched="$out/uncertainty/lhs/plausible.json"
    worlds=$("${py[@]}" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["unit"]))' "$matched")
    if [ "$worlds" -gt 0 ]; then
        step plausible plausible "hydra.sweeper.design.source=$matched" "${plausible[@]}"
        keep plausible "$out/uncertainty"
    else
        echo "plausible: skipped, history matching ruled out every world (see the lhs report)" | tee -a "$log"
    fi
fi

if wanted ban_flag; then
    step ban_flag sobol_ban_flag "${flag[@]}"
    keep ban_flag "$out/sensitivity"
fi
echo "Study written to $out/sensitivity and $out/uncertainty; timings in $log"
