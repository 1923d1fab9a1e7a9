"""The benchmark scripts still run: a tiny hub built plain and with the plugin, in a few seconds."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from tests.conftest import BUILDER

BENCH = Path(__file__).parent


def test_build_benchmark_prints_the_plugin_to_plain_ratio() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / "bench_build.py"), "--sizes", "20", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    host = f"{BUILDER} {version(BUILDER)}, mkdocs-material"  # it built on the host $SOP_HUB_BUILDER selects
    assert host in done.stdout.splitlines()[0]
    assert re.search(
        r"^ratio plugin/plain at N=20: \d+\.\d{3} \(target <= 1\.10: (ok|MISSED)\); CPU time ", done.stdout, re.M
    )
    row = re.search(r"^\s+20\s+yes\s+(\d+\.\d+)\s+(\d+\.\d+)\s+\d+\.\d+\s+(\d+)\s+(\d+)$", done.stdout, re.M)
    assert row, done.stdout
    plain_kb, plugin_kb = int(row.group(3)), int(row.group(4))
    assert plugin_kb >= plain_kb > 0  # both builds wrote the procedure pages; the plugin adds a header
