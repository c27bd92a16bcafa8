#!/usr/bin/env bash
# Fuzz a running Lettrage server with schemathesis: no 5xx and no masked resolver error.
# Usage: scripts/fuzz.sh http://127.0.0.1:8000/graphql API_KEY [max-examples]
set -euo pipefail
url=${1:?graphql url}
key=${2:?api key}
cd "$(dirname "$0")/.."
command -v st >/dev/null || python -m pip install -q "schemathesis==4.32.5"
SCHEMATHESIS_HOOKS=scripts.fuzz_hooks PYTHONPATH=. st run "$url" \
  -H "Authorization: Bearer $key" --max-examples "${3:-50}" --workers 2 \
  --checks all
