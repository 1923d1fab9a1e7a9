"""Benchmark: `sop-hub check` on 10 000 SOPs against a bare front-matter loop.

    .venv/bin/python tests/bench/bench_check.py [--count 10000] [--repeat 3] [--profile]

The target (issue: CLI speed) is check <= 2x a bare Python loop that reads each file and parses
its front-matter with PyYAML's C loader. Both are timed warm (the files in the page cache), best
of ``--repeat``: in-process (``sop_hub.cli.main``) and as subprocesses (``python -m sop_hub`` vs
``python -c <the loop>``, interpreter start-up included on both sides). Exits 1 over the target.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

TARGET = 2.0
PROCESSES, STAGES = 20, ("record", "review", "approve", "close")
FRONT_MATTER = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.MULTILINE | re.DOTALL)

BODY = """
# {title}

## Purpose

To make sure every {noun} is handled the same way, on time, and with a record that an auditor
can follow from start to finish.

## Procedure

1. Open the {noun} log and create a new entry with today's date.
2. Check the details against the order, the drawing and the agreed specification.
3. Record the outcome and tell the requester, by email, within one working day.
4. File the evidence in the shared folder named after the {noun} number.

## Records

| Record | Where | How long |
|---|---|---|
| {noun} log | CRM | 6 years |
"""


def generate(docs: Path, count: int) -> None:
    """``count`` procedures spread over 20 processes of 4 stages, like a large real hub."""
    for p in range(PROCESSES):
        folder = docs / f"process-{p:02}"
        folder.mkdir(parents=True)
        (folder / "index.md").write_text(
            f"---\ntype: process\ntitle: Process {p}\nowner: Owner {p} <owner{p}@example.com>\n"
            f"last_reviewed_on: 2026-01-{p % 28 + 1:02}\nstages: [{', '.join(STAGES)}]\n---\n# Process {p}\n"
        )
        for stage in STAGES:
            (folder / stage).mkdir()
    for n in range(count):
        p, stage = n % PROCESSES, STAGES[(n // PROCESSES) % len(STAGES)]
        title = f"Procedure {n}: handling case {n}"
        month = n % 12 + 1
        (docs / f"process-{p:02}" / stage / f"procedure-{n:05}.md").write_text(
            f"---\ntitle: '{title}'\nid: SOP-{p:02}-{n:05}\nprocess: process-{p:02}\nstage: {stage}\n"
            f"owner:\n  name: Person {n % 97}\n  role: Team lead\n  email: person{n % 97}@example.com\n"
            f"backup_owner: Backup {n % 89} <backup{n % 89}@example.com>\n"
            f'last_reviewed_on: 2026-{month:02}-{n % 28 + 1:02}\nversion: "{n % 5}.{n % 10}"\n'
            f"tags: [sop, process-{p:02}]\n---\n" + BODY.format(title=title, noun=f"case {n}")
        )


BARE_LOOP = """
import os, re, sys, yaml
FM = re.compile(r"^-{3}[ \\t]*\\n(.*?\\n)(?:\\.{3}|-{3})[ \\t]*\\n", re.MULTILINE | re.DOTALL)
count = 0
for folder, dirs, files in os.walk(sys.argv[1]):
    for name in files:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                match = FM.match(handle.read())
            if match:
                yaml.load(match.group(1), Loader=yaml.CSafeLoader)
                count += 1
"""


def bare_loop(docs: Path) -> int:
    """What any front-matter reader must do at least: walk, read, split, parse with the C loader."""
    count = 0
    for folder, _dirs, files in os.walk(docs):
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    match = FRONT_MATTER.match(handle.read())
                if match:
                    yaml.load(match.group(1), Loader=yaml.CSafeLoader)
                    count += 1
    return count


def check_in_process(root: Path, out: Path) -> int:
    from sop_hub.cli import main

    with contextlib.redirect_stderr(io.StringIO()):
        return main(["check", "--format", "json", "-f", str(root / "mkdocs.yml"), "--output", str(out)])


def best(repeat: int, run) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall, CPU) seconds, each the best of ``repeat``; CPU counts this process and its children,
    and is the steadier number on a shared machine."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = _cpu()
        start = time.perf_counter()
        run()
        walls.append(time.perf_counter() - start)
        cpus.append(_cpu() - before)
    return min(walls), min(cpus)


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _line(label: str, base: str, loop: tuple[float, float], check: tuple[float, float], name: str) -> str:
    return (
        f"{label:<11} {base} wall {loop[0]:5.2f}s cpu {loop[1]:5.2f}s | {name} wall {check[0]:5.2f}s "
        f"cpu {check[1]:5.2f}s | ratio wall {check[0] / loop[0]:.2f} cpu {check[1] / loop[1]:.2f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive calls of one check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sop-hub-bench-") as tmp:
        root = Path(tmp)
        (root / "mkdocs.yml").write_text(
            "site_name: Bench\nplugins:\n  - search\n  - sop-hub:\n      as_of: 2026-06-15\n"
        )
        start = time.perf_counter()
        generate(root / "docs", args.count)
        print(f"generated {args.count} procedures + {PROCESSES} processes in {time.perf_counter() - start:.1f}s")
        out = root / "report.json"
        bare_loop(root / "docs")  # warm the page cache
        check_in_process(root, out)

        loop = best(args.repeat, lambda: bare_loop(root / "docs"))
        check = best(args.repeat, lambda: check_in_process(root, out))
        python = [sys.executable]
        env = {**os.environ, "NO_COLOR": "1"}
        sub_repeat = max(1, args.repeat - 1)
        loop_proc = best(
            sub_repeat, lambda: subprocess.run([*python, "-c", BARE_LOOP, str(root / "docs")], check=True, env=env)
        )
        check_proc = best(
            sub_repeat,
            lambda: subprocess.run(
                [*python, "-m", "sop_hub", "check", "--format", "json"],
                cwd=root,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            ),
        )
        import json

        documents = json.loads(out.read_text())["summary"]["documents"]
        print(f"documents in the report: {documents}")
        print(_line("in-process", "bare loop", loop, check, "sop-hub check --format json"))
        print(_line("subprocess", "bare loop", loop_proc, check_proc, "python -m sop_hub check    "))
        print(f"target: ratio <= {TARGET} (judged on in-process CPU time)")
        if args.profile:
            profiler = cProfile.Profile()
            profiler.runcall(check_in_process, root, out)
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
        return 0 if check[1] / loop[1] <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
