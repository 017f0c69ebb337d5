#!/usr/bin/env bash
# System tools the test suite uses when present: poppler-utils (pdftotext, pdfinfo, pdftoppm) read
# the consultation pack as a reader would (tests/ui/test_report.py). Run as root before .ci/run.
set -euo pipefail
if command -v pdftotext >/dev/null && command -v pdfinfo >/dev/null && command -v pdftoppm >/dev/null
then
  exit 0
fi
apt-get update
apt-get install -y --no-install-recommends poppler-utils
