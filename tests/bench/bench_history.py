"""History benchmark: reading git history for a 1000-SOP hub with 5000 commits, against its build.

    python tests/bench/bench_history.py                       # 1000 SOPs, 5000 commits (~1 min the first time)
    python tests/bench/bench_history.py --n 100 --commits 300 --repeat 1

The synthetic hub (``synthetic.py``) goes into a git repository whose history ``git fast-import``
writes in one go: an initial commit of the whole hub, then commits that each change one to five
procedures (every tenth editorial, one in fifty a move of a procedure inside its stage), by a
dozen authors over two years. The repository is kept in the temp dir
(``sop-hub-bench-history-N-COMMITS``), so a rerun starts at once.

Measured: ``read_history`` plus ``for_file`` for every page (what a build asks), cold (the log is
read: the first build, or one after a commit) and warm (no new commit: what a ``serve`` rebuild
pays, ``git rev-parse`` and ``git status`` only), each the median of ``--repeat`` runs; and the
wall time of ``python -m mkdocs build`` of the same hub (``plugin.yml``). Target: cold history
<= 10 % of the build. The script exits 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import builder
import synthetic

from sop_hub.core import history as history_module
from sop_hub.core.history import read_history

HOST = builder.selected()
TARGET = 0.10
AUTHORS = [f"{first} {last}" for first, last in zip(synthetic._FIRST, synthetic._LAST * 2, strict=False)]
SUMMARIES = (
    "Clarify step {s}", "New approval limit", "Add the records table", "Align with the new ERP screen",
    "Change the escalation contact", "Tighten the check in step {s}", "Add a hand-off to the next stage",
)  # fmt: skip


def hub_repository(n: int, commits: int) -> Path:
    """The cached repository (made once per size): the synthetic hub with ``commits`` commits."""
    root = Path(tempfile.gettempdir()) / f"sop-hub-bench-history-{n}-{commits}"
    if (root / ".git" / "sop-hub-bench-ready").exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    synthetic.write_hub(root, n)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "fast-import", "--quiet", stdin=_fast_import_stream(root, n, commits))
    _git(root, "reset", "-q", "--hard", "main")
    _git(root, "clean", "-q", "-fd")  # the moved procedures' old paths
    (root / ".git" / "sop-hub-bench-ready").write_text("")
    return root


def _fast_import_stream(root: Path, n: int, commits: int) -> bytes:
    rng = random.Random(11)
    files = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }
    procedures = [f"docs/{synthetic.procedure_path(n, number)}" for number in range(n)]
    start = datetime(2024, 6, 1, 9, tzinfo=UTC)
    step = (datetime(2026, 6, 10, tzinfo=UTC) - start) / commits
    out: list[bytes] = []

    def commit(index: int, author: str, message: str, body: list[bytes]) -> None:
        stamp = int((start + step * index + timedelta(minutes=rng.randrange(0, 50))).timestamp())
        who = f"{author} <{author.lower().replace(' ', '.')}@example.com> {stamp} +0100".encode()
        data = message.encode()
        out.extend([b"commit refs/heads/main\n", b"author " + who + b"\n", b"committer " + who + b"\n"])
        out.append(b"data %d\n%s\n" % (len(data), data))
        out.extend(body)

    def modify(path: str) -> bytes:
        return b"M 100644 inline %s\ndata %d\n%s\n" % (path.encode(), len(files[path]), files[path])

    commit(0, AUTHORS[0], "Issue the handbook", [modify(path) for path in files])
    for index in range(1, commits):
        author = rng.choice(AUTHORS)
        if index % 50 == 0:  # a move inside the stage folder
            number = rng.randrange(n)
            old = procedures[number]
            new = old.removesuffix(".md") + f"-r{index}.md"
            files[new] = files.pop(old)
            procedures[number] = new
            commit(index, author, f"Rename {old.rsplit('/', 1)[-1]}", [b"R %s %s\n" % (old.encode(), new.encode())])
            continue
        touched = rng.sample(procedures, rng.choice((1, 1, 1, 2, 2, 3, 5)))
        body = []
        for path in touched:
            files[path] += f"\nRevised in change {index}.\n".encode()
            body.append(modify(path))
        message = rng.choice(SUMMARIES).format(s=rng.randrange(1, 13))
        if index % 10 == 0:
            message = "Fix wording\n\nTypos only.\n\nSop-Change: editorial"
        commit(index, author, message, body)
    return b"".join(out)


def _git(cwd: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=b@x", *args], cwd=cwd, input=stdin, check=True)


def time_history(root: Path, pages: list[str], *, cold: bool) -> float:
    if cold:
        history_module._LOG_CACHE.clear()
    start = time.perf_counter()
    history = read_history(root / "docs", pages)
    for page in pages:
        history.for_file(page)
    elapsed = time.perf_counter() - start
    if history.status is not history_module.HistoryStatus.OK:
        sys.exit(f"history unavailable: {history.hint}")
    return elapsed


def build_seconds(root: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    site = root / "site-bench"
    shutil.rmtree(site, ignore_errors=True)
    start = time.perf_counter()
    done = subprocess.run(builder.command(HOST, "build", "-q", "-f", "plugin.yml", "-d", str(site)),
                          cwd=root, env=env, capture_output=True, text=True, check=False)  # fmt: skip
    elapsed = time.perf_counter() - start
    shutil.rmtree(site, ignore_errors=True)
    if done.returncode:
        sys.exit(f"build failed:\n{done.stderr[-4000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    made = time.perf_counter()
    root = hub_repository(args.n, args.commits)
    made_s = time.perf_counter() - made
    pages = sorted(path.relative_to(root / "docs").as_posix() for path in (root / "docs").rglob("*.md"))
    cold = statistics.median(time_history(root, pages, cold=True) for _ in range(args.repeat))
    warm = statistics.median(time_history(root, pages, cold=False) for _ in range(args.repeat))
    build = statistics.median(build_seconds(root) for _ in range(args.repeat))
    ratio = cold / build
    print(f"history benchmark on {HOST}: {args.n} SOPs, {args.commits} commits, {len(pages)} pages")
    print(f"repository: {root} (ready in {made_s:.1f} s; kept for reruns)")
    print(f"read history, cold (git log): {cold:.3f} s; warm (serve rebuild, no new commit): {warm:.3f} s")
    print(f"build ({HOST} build, plugin.yml): {build:.2f} s")
    verdict, warm_ratio = ("ok" if ratio <= TARGET else "MISSED"), warm / build
    print(f"ratio history/build at N={args.n}: {ratio:.3f} (target <= {TARGET:.2f}: {verdict}), warm {warm_ratio:.4f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
