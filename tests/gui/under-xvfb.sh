#!/usr/bin/env bash
# Runs a command on a private Xvfb display (xvfb-run picks a free display number), with
# a screen large enough for the dashboard. Fails, saying what is missing, without Xvfb.
set -euo pipefail
command -v xvfb-run >/dev/null || { echo "under-xvfb: xvfb-run is not installed (Debian packages xvfb and xauth)" >&2; exit 1; }
exec xvfb-run -a -s "-screen 0 1600x1000x24" "$@"
