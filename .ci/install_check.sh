#!/usr/bin/env bash
# The wheel carries everything a planner needs. Build it, check what it holds, install it into a
# fresh virtual environment outside the repository, and use it from an empty folder: version,
# sample files, stats, plan, and the window on first run (offscreen) showing the sample plan.
# Usage: .ci/install_check.sh [KEEP_DIR]   (KEEP_DIR: keep the install there instead of a temp dir)
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
PY=${PYTHON:-python3.11}
if [[ $# -ge 1 ]]; then
  WORK=$1; mkdir -p "$WORK"
else
  WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
fi
unset PYTHONPATH
fail() { echo "install check FAILED: $*" >&2; exit 1; }
step() { echo "install check: $*"; }

step "building the wheel from a clean copy of the tracked files (as a fresh clone has them)"
mkdir -p "$WORK/src"
git -C "$REPO" ls-files -z | (cd "$REPO" && xargs -0 cp --parents -t "$WORK/src")
"$REPO/.venv/bin/pip" wheel -q --no-deps -w "$WORK/dist" "$WORK/src" </dev/null
WHEELS=("$WORK"/dist/surestart_planner-*.whl)
[[ ${#WHEELS[@]} -eq 1 && -f ${WHEELS[0]} ]] || fail "expected one wheel in $WORK/dist"
WHEEL=${WHEELS[0]}

step "checking $(basename "$WHEEL") holds every file of planner/ (resources, py.typed)"
git -C "$REPO" ls-files planner | "$PY" -c '
import sys, zipfile
names = set(zipfile.ZipFile(sys.argv[1]).namelist())
tracked = [line.strip() for line in sys.stdin if line.strip()]
missing = [t for t in tracked if t not in names]
missing += [n for n in ("planner/py.typed", "planner/resources/sample/kent_medway_centres.csv")
            if n not in names and n not in missing]
if missing:
    sys.exit("missing from the wheel: " + ", ".join(missing))
print(f"  {len(tracked)} files of planner/ all in the wheel")
' "$WHEEL" || fail "the wheel is incomplete"

step "installing it into a fresh virtual environment in $WORK/venv"
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q "$WHEEL" </dev/null
PLANNER=$WORK/venv/bin/planner
[[ -x $PLANNER ]] || fail "no planner command in the new environment"

mkdir -p "$WORK/empty" "$WORK/home"
cd "$WORK/empty"
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config

step "planner --version"
VERSION=$("$PY" -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' "$REPO/pyproject.toml")
OUT=$("$PLANNER" --version </dev/null)
[[ $OUT == "planner $VERSION" ]] || fail "planner --version said '$OUT', expected 'planner $VERSION'"
echo "  $OUT"

step "planner sample ."
"$PLANNER" sample . </dev/null | sed 's/^/  /'
[[ -s kent_medway_centres.csv && -s kent_medway_districts.geojson ]] || fail "sample files not written"

step "planner stats kent_medway_centres.csv"
OUT=$("$PLANNER" stats kent_medway_centres.csv </dev/null)
grep -q "^103 centres loaded" <<<"$OUT" || fail "stats: $OUT"
head -1 <<<"$OUT" | sed 's/^/  /'

step "planner plan kent_medway_centres.csv --federations 5 --out plan.geojson"
"$PLANNER" plan kent_medway_centres.csv --federations 5 --out plan.geojson -q </dev/null 2>&1 \
  | sed 's/^/  /'
"$WORK/venv/bin/python" - <<'PYEOF' || fail "plan.geojson is not a plan of 5 federations"
import json
doc = json.load(open("plan.geojson", encoding="utf-8"))
points = [f for f in doc["features"] if f["geometry"]["type"] == "Point"]
feds = {f["properties"]["federation"] for f in points}
assert len(points) == 103 and len(feds) == 5, (len(points), feds)
print(f"  plan.geojson: {len(points)} centres in {len(feds)} federations")
PYEOF

step "the window on first run (offscreen)"
ERR=$(QT_QPA_PLATFORM=offscreen PLANNER_EXIT_AFTER_SHOW=1 "$PLANNER" 2>&1 </dev/null) \
  || fail "the window did not open: $ERR"
SHOWN=$(grep "^planner-shown " <<<"$ERR") || fail "the window never painted: $ERR"
read -r -a F <<<"$SHOWN"
[[ ${F[4]} == federations && ${F[5]} == 5 && ${F[6]} == centres && ${F[7]} == 103 ]] \
  || fail "the window shows '$SHOWN', expected the sample plan of 5 federations of 103 centres"
echo "  first paint: ${F[*]:4}"
! grep -qi "not found\|traceback" <<<"$ERR" || fail "the window reported: $ERR"

step "passed"
