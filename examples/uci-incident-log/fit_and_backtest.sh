#!/usr/bin/env bash
# Fit a scenario from the first 70 % of the UCI incident log and backtest it
# on the last 30 % (issue 19; docs/howto/fit-and-backtest.md). Run from the
# repository root:
#   examples/uci-incident-log/fit_and_backtest.sh [LOG] [OUT]
# LOG: the readable copy (default ../shared/data/uci-incident-log/
#      incident_event_log_readable.zip); OUT: the output folder (default out/uci).
# Environment: SVCSIM (the command, default "svcsim"), PYTHON (default
# "python"), REPLICATIONS (default 20).
set -euo pipefail

HERE=examples/uci-incident-log
LOG=${1:-../shared/data/uci-incident-log/incident_event_log_readable.zip}
OUT=${2:-out/uci}
SVCSIM=${SVCSIM:-svcsim}
PYTHON=${PYTHON:-python}
REPLICATIONS=${REPLICATIONS:-20}
MAPPING=$HERE/mapping-fit.toml
TEMPLATE=$HERE/service_desk.toml
RULES=$HERE/rules-fit.toml

[ -f "$LOG" ] || { echo "fit_and_backtest.sh: $LOG: no such file; expected the UCI log's readable copy (argument 1)" >&2; exit 2; }
for cmd in fit backtest; do
    $SVCSIM $cmd --help >/dev/null 2>&1 || { echo "fit_and_backtest.sh: '$SVCSIM $cmd' is not available; expected a svcsim with issue 19's fit and backtest" >&2; exit 2; }
done
mkdir -p "$OUT"

# 0. The log read through the mapping: every row accounted for, the real attainment.
$SVCSIM check "$LOG" --mapping "$MAPPING" --rules "$RULES" --out "$OUT/check"

# 1. The split: the opening time by which 70 % of the incidents were opened
#    (UTC: the mapping reads the export's wall clock as UTC).
UNTIL=$($PYTHON $HERE/to_simod.py "$LOG" --train-share 0.7 --print-cutoff)
echo "train on the incidents opened before $UNTIL"

# 2. Fit on the training part; the fit report is printed and written (fit.json).
$SVCSIM fit "$LOG" --mapping "$MAPPING" --template "$TEMPLATE" --until "$UNTIL" --out "$OUT/fit"

# 3. Run the fitted scenario as it is, and judge its log with the same rules.
FITTED=$(ls "$OUT"/fit/*.toml | head -n 1)
$SVCSIM run "$FITTED" --days 28 --out "$OUT/fitted-run"
$SVCSIM check "$OUT/fitted-run" --rules "$RULES" --out "$OUT/fitted-run/check"

# 4. Backtest: fit on 70 %, simulate the 30 %, compare per rule and week and
#    by the distances (cycle time, circadian, arrivals) with the naive baselines.
$SVCSIM backtest "$LOG" --mapping "$MAPPING" --template "$TEMPLATE" --train-share 0.7 \
    --replications "$REPLICATIONS" --rules "$RULES" --out "$OUT/backtest"

# 5. The same split in Simod's input format, for the comparison with Simod
#    (README.md beside this script, "Comparing with Simod").
$PYTHON $HERE/to_simod.py "$LOG" --train-share 0.7 --out "$OUT/simod"
