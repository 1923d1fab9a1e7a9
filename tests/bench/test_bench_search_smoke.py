"""The search benchmark still runs: 60 SOPs, plain and with the plugin, one cold load each."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parent


def test_search_benchmark_prints_timings_ratios_and_hit_rates() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_search.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for variant in ("plain", "plugin"):
        assert re.search(rf"^\s+60\s+{variant}\s+\d+\s+\d+\s+\d+\s+\d+$", done.stdout, re.M), done.stdout
    assert re.search(r"^N=60: plugin/plain first result \d+\.\d\d, KB before it \d+\.\d\d", done.stdout, re.M)
    # The ranking probe on the plugin's hub: every id query finds its document first.
    assert re.search(r"^\s+id\s+top-1 (\d+)/\1 \(100%\)", done.stdout, re.M), done.stdout
