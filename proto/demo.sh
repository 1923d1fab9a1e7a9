#!/bin/sh
# Build the demo hub (docs/ + mkdocs.yml + quizzes/) with Zensical and the prototype extension,
# in a scratch copy (prepare writes stubs into docs/), then screenshot three pages.
#   python3.11 -m venv .venv-zensical && .venv-zensical/bin/pip install zensical==0.0.73 mkdocs==1.6.1 nh3 pyyaml-env-tag
#   proto/demo.sh [OUT_DIR]
set -eu
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/zensical-demo}
rm -rf "$out" && mkdir -p "$out"
cp -r "$repo/docs" "$repo/quizzes" "$repo/mkdocs.yml" "$out/"
export PYTHONPATH="$repo/plugins:$repo/proto"
cd "$out"
"$repo/.venv-zensical/bin/python" -m sop_hub.hosts.zensical.prepare --extension sop_hub_zensical_md
"$repo/.venv-zensical/bin/zensical" build --clean -f mkdocs.zensical.yml
"$repo/.venv-zensical/bin/python" -m sop_hub.hosts.zensical.prepare --after-build
"$repo/.venv/bin/python" "$repo/proto/screenshot.py" "$out/site" "$out/shots" \
    complaints/record/intake/ employee-onboarding/pre-arrival/hr-record/ processes/ 2>/dev/null
