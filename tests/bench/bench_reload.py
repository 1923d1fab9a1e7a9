"""Edit -> reload benchmark: how long an author waits for ``mkdocs serve`` to show an edit.

    python tests/bench/bench_reload.py              # 1000 SOPs, 5 body edits (~2 min on 2 cores)
    python tests/bench/bench_reload.py --n 200 --edits 2 --no-plain

Starts ``python -m mkdocs serve --dirty`` (livereload on, 127.0.0.1 only) on a synthetic hub
with ``sop-hub`` enabled, waits for the first build, then edits files and times each edit until
the server hands out the changed page (the server holds requests while it rebuilds, so that is
when a reloading browser sees it). It checks that what an edit affects is right afterwards:

- body edit: the page shows the new sentence, and its navigation still names its sibling pages;
- review-date edit: the page's status, the process page's badge, ``register.json`` and the
  reviews page all show the new date;
- title edit (the navigation changes, so every page is rebuilt): the process page shows it.

Then, for comparison, one body edit under ``mkdocs serve`` without ``--dirty``. The servers are
stopped with Ctrl-C (SIGINT, so MkDocs removes its temp dir), then terminated if need be.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import builder
import synthetic

HOST = builder.selected()  # $SOP_HUB_BUILDER: mkdocs (default) or properdocs

TARGET_SECONDS = 2.0
T = TypeVar("T")
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback only, never a proxy


@dataclass
class Result:
    name: str
    seconds: float | None  # None: never became true within the timeout
    checks: dict[str, bool] = field(default_factory=dict)


class Server:
    """``mkdocs serve`` in a subprocess; its log lines are kept with the time they arrived."""

    def __init__(self, root: Path, *, dirty: bool, timeout: float, verbose: bool = False) -> None:
        self.root, self.dirty, self.timeout, self.verbose = root, dirty, timeout, verbose
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}/"
        self.lines: list[tuple[float, str]] = []
        self.process: subprocess.Popen[str] | None = None
        self.first_build = 0.0

    def __enter__(self) -> Server:
        command = builder.command(HOST, "serve", "-f", "plugin.yml", "-a", f"127.0.0.1:{self.port}")
        if self.dirty:
            command.append("--dirty")
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        env.pop("SOP_HUB_AS_OF", None)
        start = time.perf_counter()
        self.process = subprocess.Popen(
            command, cwd=self.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        threading.Thread(target=self._read, daemon=True).start()
        try:
            self.wait_for_log("Serving on", since=0.0)
            _wait(lambda: self.get("") is not None, self.timeout, "the first page")
        except BaseException:
            self.stop()
            raise
        self.first_build = time.perf_counter() - start
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append((time.perf_counter(), line.rstrip()))

    def dump_log(self) -> None:
        started = self.lines[0][0] if self.lines else 0.0
        for at, line in self.lines:
            print(f"  [{'dirty' if self.dirty else 'full'} +{at - started:7.2f}s] {line}", file=sys.stderr)

    def stop(self) -> None:
        if self.verbose:
            self.dump_log()
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)  # MkDocs cleans up its temp site dir on Ctrl-C
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)

    def wait_for_log(self, text: str, *, since: float) -> float:
        """Seconds after ``since`` at which a log line containing ``text`` arrived."""

        def seen() -> float | None:
            if self.process is not None and self.process.poll() is not None:
                log = "\n".join(line for _, line in self.lines[-40:])
                raise RuntimeError(f"{HOST} serve exited with {self.process.returncode}:\n{log}")
            return next((at - since for at, line in list(self.lines) if at >= since and text in line), None)

        return _wait(seen, self.timeout, f"`{text}` in the server log")

    def get(self, path: str) -> str | None:
        try:
            with _OPENER.open(self.base + path, timeout=self.timeout) as response:
                return str(response.read().decode("utf-8"))
        except (urllib.error.URLError, OSError):
            return None

    def quiet(self) -> None:
        """Wait until the server has finished any rebuild and seen no change for a moment."""
        time.sleep(1.0)
        self.get("")  # held by the server while a rebuild runs


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(probe: Callable[[], T | None], timeout: float, what: str) -> T:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        value = probe()
        if value is not None and value is not False:
            return value
        time.sleep(0.05)
    raise TimeoutError(f"no {what} within {timeout:.0f} s")


def _timed(probe: Callable[[], bool], since: float, timeout: float) -> float | None:
    """Seconds from ``since`` until ``probe()`` is true, or None."""
    try:
        _wait(lambda: probe() or None, timeout, "change")
    except TimeoutError:
        return None
    return time.perf_counter() - since


def _url(src_uri: str) -> str:
    return src_uri.removesuffix("index.md").removesuffix(".md").rstrip("/") + "/"


def _article(page: str | None) -> str:
    match = re.search(r"<article\b.*?</article>", page or "", re.DOTALL)
    return match.group(0) if match else ""


def _replace_line(path: Path, key: str, value: str) -> None:
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(rf"^{key}: .*$", f"{key}: {value}", text, count=1, flags=re.MULTILINE)
    if not count:
        raise ValueError(f"{path} has no `{key}:` line")
    path.write_text(text, encoding="utf-8")


@dataclass
class Target:
    """The procedure the benchmark edits, and the pages that depend on it."""

    path: Path
    url: str
    doc_id: str
    process_url: str
    sibling_title: str


def pick_target(root: Path, n: int) -> Target:
    number = n // 2
    process_count = max(1, round(n / synthetic.PROCEDURES_PER_PROCESS))
    src = synthetic.procedure_path(n, number)
    sibling_number = next(  # same process and stage: shown in the page's (pruned) navigation
        k
        for k in (number + process_count * len(synthetic.STAGES), number - process_count * len(synthetic.STAGES))
        if 0 <= k < n
    )
    sibling = (root / "docs" / synthetic.procedure_path(n, sibling_number)).read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", sibling, re.MULTILINE)
    assert title is not None
    return Target(
        path=root / "docs" / src,
        url=_url(src),
        doc_id=synthetic.procedure_id(number),
        process_url=src.split("/", 1)[0] + "/",
        sibling_title=html.escape(title.group(1).strip("'\""), quote=False),
    )


def body_edit(server: Server, target: Target, label: str) -> Result:
    sentence = f"Benchmark edit {label} at {time.time_ns()}."
    start = time.perf_counter()
    with target.path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n{sentence}\n")
    seconds = _timed(lambda: sentence in (server.get(target.url) or ""), start, server.timeout)
    page = server.get(target.url) or ""
    checks = {"page shows the edit": seconds is not None, "nav still names sibling pages": target.sibling_title in page}
    server.quiet()
    return Result(f"body edit {label}", seconds, checks)


def review_edit(server: Server, target: Target) -> Result:
    """Make the procedure overdue: its page, process page, register.json and reviews page must follow."""
    reviewed = date.fromisoformat(synthetic.AS_OF) - timedelta(days=400)
    before_reviews = _article(server.get("reviews/"))
    start = time.perf_counter()
    _replace_line(target.path, "last_reviewed_on", reviewed.isoformat())
    badge = re.compile(rf'data-sop-ref="{re.escape(target.doc_id)}".*?sop-badge--([\w-]+)', re.DOTALL)

    def page_overdue() -> bool:
        return 'data-review-status="overdue"' in (server.get(target.url) or "")

    def process_badge() -> bool:
        match = badge.search(server.get(target.process_url) or "")
        return match is not None and match.group(1) == "overdue"

    def register() -> bool:
        try:
            records = json.loads(server.get("register.json") or "{}").get("documents", [])
        except ValueError:
            return False
        return any(r.get("id") == target.doc_id and r.get("last_reviewed_on") == reviewed.isoformat() for r in records)

    def reviews_page() -> bool:
        article = _article(server.get("reviews/"))
        return article != before_reviews and target.doc_id in article

    seconds = _timed(page_overdue, start, server.timeout)
    checks = {"page status overdue": seconds is not None}
    for name, probe in (
        ("process page badge overdue", process_badge),
        ("register.json has the new date", register),
        ("reviews page rebuilt with it", reviews_page),
    ):
        waited = _timed(probe, start, 5.0)  # the whole rebuild is done by now: a short grace only
        checks[name] = waited is not None
        if waited is not None and seconds is not None:
            seconds = max(seconds, waited)
    server.quiet()
    return Result("review-date edit", seconds, checks)


def title_edit(server: Server, target: Target) -> Result:
    """A new title changes the navigation, so every page is rebuilt."""
    title = f"Renamed for the benchmark {time.time_ns()}"
    start = time.perf_counter()
    _replace_line(target.path, "title", title)
    seconds = _timed(lambda: title in (server.get(target.process_url) or ""), start, server.timeout)
    sibling_page = server.get(target.url) or ""
    checks = {
        "process page shows the title": seconds is not None,
        "nav still names siblings": target.sibling_title in sibling_page,
    }
    server.quiet()
    return Result("title edit (full rebuild)", seconds, checks)


def _fmt(seconds: float | None) -> str:
    return "timeout" if seconds is None else f"{seconds:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=1000, help="SOPs in the hub (default 1000)")
    parser.add_argument("--edits", type=int, default=5, help="body edits to time under --dirty (median counts)")
    parser.add_argument("--no-plain", action="store_true", help="skip the comparison with serve without --dirty")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for any one thing")
    parser.add_argument("--verbose", action="store_true", help="print the servers' logs (with times) to stderr")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--git", action="store_true", help="serve the hub from a git repository (one commit) so history is read"
    )
    args = parser.parse_args(argv)
    results: list[Result] = []
    lines: list[str] = []
    with tempfile.TemporaryDirectory(prefix="sop-hub-reload-") as temp:
        root = synthetic.write_hub(Path(temp) / "hub", args.n)
        if args.git:  # the edits below are then uncommitted changes: the history shows them as such
            for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "Issue"]):
                subprocess.run(["git", "-c", "user.name=Bench", "-c", "user.email=b@x", *command], cwd=root, check=True)
        target = pick_target(root, args.n)
        print(f"N={args.n}: {HOST} serve --dirty ...", file=sys.stderr, flush=True)
        with Server(root, dirty=True, timeout=args.timeout, verbose=args.verbose) as server:
            lines.append(f"first build (serve --dirty): {server.first_build:.1f} s")
            server.quiet()
            body = [body_edit(server, target, str(i + 1)) for i in range(args.edits)]
            results += body
            results.append(review_edit(server, target))
            results.append(title_edit(server, target))
        if not args.no_plain:
            print(f"N={args.n}: {HOST} serve (not dirty) ...", file=sys.stderr, flush=True)
            with Server(root, dirty=False, timeout=args.timeout, verbose=args.verbose) as server:
                lines.append(f"first build (serve): {server.first_build:.1f} s")
                server.quiet()
                plain = body_edit(server, target, "without --dirty")
                results.append(plain)
    header = f"sop-hub edit -> reload benchmark: {args.n} SOPs, {os.cpu_count()} CPUs"
    table = [f"{'edit':<32} {'seconds':>8}  checks"]
    for result in results:
        failed = [name for name, ok in result.checks.items() if not ok]
        status = "all ok" if not failed else "FAILED: " + "; ".join(failed)
        table.append(f"{result.name:<32} {_fmt(result.seconds):>8}  {status}")
    timed = [r.seconds for r in body if r.seconds is not None]
    summary = []
    if timed:
        median = statistics.median(timed)
        verdict = "ok" if median <= TARGET_SECONDS and len(timed) == len(body) else "MISSED"
        summary.append(
            f"edit -> reload (serve --dirty, median of {len(body)} body edits): {median:.2f} s "
            f"(target <= {TARGET_SECONDS:.1f} s: {verdict})"
        )
    report = [header, *lines, "", *table, "", *summary]
    print("\n".join(report))
    if args.json:
        payload = {"results": [r.__dict__ for r in results], "report": report}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    all_ok = all(all(r.checks.values()) for r in results)
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
