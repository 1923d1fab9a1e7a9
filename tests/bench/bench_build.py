"""Build benchmark: the same synthetic hub built by plain Material and with ``sop-hub``, in one run.

    python tests/bench/bench_build.py                 # 300 and 1000 SOPs, 3 repetitions (~3 min on 2 cores)
    python tests/bench/bench_build.py --full          # 1000 and 3000 SOPs (~7 min)
    python tests/bench/bench_build.py --sizes 20 --repeat 1 --no-prune

Both builds use the same theme, theme features (``navigation.prune`` included, as the README
recommends), Markdown extensions and ``search``; the plain build does not enable the plugin, so
the front-matter is only metadata to it. Each build is a fresh ``python -m mkdocs build`` process
(``python -m properdocs build`` with ``SOP_HUB_BUILDER=properdocs``, see ``builder.py``) timed by
wall clock; the two alternate in order and the median of the repetitions is reported.
Machines are shared and noisy: read the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

import builder
import synthetic

HOST = builder.selected()  # $SOP_HUB_BUILDER: mkdocs (default) or properdocs

RATIO_TARGET = 1.10  # plugin / plain at the same size and theme features
GROWTH_SLACK = 1.10  # build time may grow at most 1.1 x the hub's size (3000 vs 1000 SOPs: <= 3.3 x)


@dataclass
class Row:
    n: int
    prune: bool
    plain_s: float
    plugin_s: float
    plain_kb: float
    plugin_kb: float
    plain_runs: list[float]
    plugin_runs: list[float]
    plain_cpu: float
    plugin_cpu: float

    @property
    def ratio(self) -> float:
        return self.plugin_s / self.plain_s


def build_seconds(root: Path, config: str, site: Path) -> float:
    """Wall time of one ``mkdocs build`` in a fresh process; exits the benchmark if it fails."""
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOP_HUB_AS_OF", None)
    command = builder.command(HOST, "build", "-q", "-f", config, "-d", str(site))
    cpu_before = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=1800, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"build failed: {' '.join(command)} (in {root})\n{done.stderr[-4000:]}")
    CPU_SECONDS.append(_children_cpu() - cpu_before)
    return elapsed


CPU_SECONDS: list[float] = []  # CPU time (user + system) of each build, in order: steadier than wall time


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def median_page_kb(site: Path, n: int) -> float:
    """Median size of the procedure pages (the pages both builds share)."""
    sizes = []
    for number in range(n):
        page = site / synthetic.procedure_path(n, number).removesuffix(".md") / "index.html"
        sizes.append(page.stat().st_size / 1024)
    return statistics.median(sizes)


def measure(root: Path, n: int, *, prune: bool, repeat: int) -> Row:
    suffix = "" if prune else "-noprune"
    runs: dict[str, list[float]] = {"plain": [], "plugin": []}
    cpu: dict[str, list[float]] = {"plain": [], "plugin": []}
    for rep in range(repeat):
        order = ("plain", "plugin") if rep % 2 == 0 else ("plugin", "plain")
        for kind in order:
            runs[kind].append(build_seconds(root, f"{kind}{suffix}.yml", root / f"site-{kind}"))
            cpu[kind].append(CPU_SECONDS[-1])
    return Row(
        n=n,
        prune=prune,
        plain_s=statistics.median(runs["plain"]),
        plugin_s=statistics.median(runs["plugin"]),
        plain_kb=median_page_kb(root / "site-plain", n),
        plugin_kb=median_page_kb(root / "site-plugin", n),
        plain_runs=runs["plain"],
        plugin_runs=runs["plugin"],
        plain_cpu=statistics.median(cpu["plain"]),
        plugin_cpu=statistics.median(cpu["plugin"]),
    )


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(rows: list[Row], repeat: int) -> list[str]:
    lines = [
        f"sop-hub build benchmark: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{HOST} {version(HOST)}, mkdocs-material {version('mkdocs-material')}; "
        f"median of {repeat}, plain and plugin alternating",
        "",
        f"{'N':>6} {'prune':>6} {'plain s':>9} {'plugin s':>9} {'ratio':>7} {'plain KB':>9} {'plugin KB':>10}",
    ]
    for row in rows:
        lines.append(
            f"{row.n:>6} {'yes' if row.prune else 'no':>6} {row.plain_s:>9.2f} {row.plugin_s:>9.2f} "
            f"{row.ratio:>7.3f} {row.plain_kb:>9.0f} {row.plugin_kb:>10.0f}"
        )
    lines.append("")
    for row in rows:
        prune = "" if row.prune else " without navigation.prune"
        lines.append(
            f"ratio plugin/plain at N={row.n}{prune}: {row.ratio:.3f} "
            f"(target <= {RATIO_TARGET:.2f}: {verdict(row.ratio <= RATIO_TARGET)}); "
            f"CPU time {row.plugin_cpu:.2f} / {row.plain_cpu:.2f} s = {row.plugin_cpu / row.plain_cpu:.3f}"
        )
    pruned = sorted((row for row in rows if row.prune), key=lambda row: row.n)
    for small, big in itertools.pairwise(pruned):
        target = GROWTH_SLACK * big.n / small.n
        plain, plugin = big.plain_s / small.plain_s, big.plugin_s / small.plugin_s
        lines.append(
            f"growth N={small.n} -> {big.n} (x{big.n / small.n:.2f} SOPs): plugin x{plugin:.2f} "
            f"(target <= {target:.2f}: {verdict(plugin <= target)}), plain x{plain:.2f}"
        )
    return lines


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="300,1000", help="comma-separated hub sizes in SOPs (default 300,1000)")
    parser.add_argument("--full", action="store_true", help="sizes 1000,3000: the targets' sizes")
    parser.add_argument("--repeat", type=int, default=3, help="builds of each kind per size; the median counts")
    parser.add_argument(
        "--no-prune",
        action="store_true",
        help="also build 1000 SOPs (or the largest size <= 1000) without navigation.prune",
    )
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--keep", type=Path, help="generate the hubs here and keep them (default: a temp dir)")
    args = parser.parse_args(argv)
    args.sizes = [1000, 3000] if args.full else [int(size) for size in args.sizes.split(",") if size.strip()]
    if not args.sizes or min(args.sizes) < 1 or args.repeat < 1:
        parser.error("sizes and --repeat must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="sop-hub-bench-") as temp:
        base = args.keep or Path(temp)
        for n in args.sizes:
            root = synthetic.write_hub(base / f"hub-{n}", n)
            print(f"N={n}: building plain and plugin {args.repeat}x ...", file=sys.stderr, flush=True)
            rows.append(measure(root, n, prune=True, repeat=args.repeat))
        if args.no_prune:
            n = max([size for size in args.sizes if size <= 1000] or [min(args.sizes)])
            print(f"N={n} without navigation.prune ...", file=sys.stderr, flush=True)
            rows.append(measure(base / f"hub-{n}", n, prune=False, repeat=args.repeat))
    lines = report(rows, args.repeat)
    print("\n".join(lines))
    if args.json:
        payload = {"rows": [{**asdict(row), "ratio": row.ratio} for row in rows], "report": lines}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
