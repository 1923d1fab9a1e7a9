"""Benchmark: `sop-hub training` reading 10 000 statements back from a real Ralph LRS.

    .venv/bin/python tests/bench/bench_training.py [--count 10000] [--learners 500] [--repeat 3]

Starts Ralph (tests/lrs/fixture.py) with its default page size (100 statements per `more` page),
posts ``--count`` statements in batches of 500 as the browser would (quiz passes and failures on
the demo hub's quizzes, acknowledgements, a tenth from another tool), then times
``sop-hub training --format json`` on the demo hub (in-process, best of ``--repeat``) and says how
much of that is the LRS answering (the same pages fetched without joining them). Ralph's fs backend
re-reads its whole file for every page, so the LRS side grows with the square of the count.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.lrs import statements as xapi  # noqa: E402
from tests.lrs.fixture import Ralph, make_credentials  # noqa: E402

from sop_hub.cli import main  # noqa: E402
from sop_hub.cli.training import read_statements  # noqa: E402
from sop_hub.core.quiz import load_quiz_book  # noqa: E402

SITE = "http://127.0.0.1:8000/"  # the demo mkdocs.yml's site_url


def statements(count: int, learners: int) -> list[dict]:
    quizzes = sorted(load_quiz_book(ROOT / "quizzes", ROOT).quizzes.values(), key=lambda q: q.id)
    rng = random.Random(7)
    out = []
    for n in range(count):
        who = (f"Learner {n % learners:04}", f"learner{n % learners}@example.com")
        when = f"2026-{rng.randint(1, 6):02}-{rng.randint(1, 28):02}T10:00:00Z"
        if n % 10 == 9:
            out.append(
                {"actor": xapi.actor(*who), "verb": {"id": xapi.PASSED}, "object": {"id": "http://lms.example/c/1"}}
            )
        elif n % 10 == 8:
            out.append(xapi.acknowledgement(*who, f"SOP-{n % 40}", revision="r", page="x/", when=when, site=SITE))
        else:
            quiz = quizzes[n % len(quizzes)]
            revision = quiz.revision if rng.random() < 0.8 else "0ld"
            passed = rng.random() < 0.7
            out.append(
                xapi.quiz(*who, quiz.id, passed=passed, raw=rng.randint(0, 5), max_=5, quiz_revision=revision,
                          page="p/", page_revision="r", when=when, site=SITE)
            )  # fmt: skip
    return out


def main_() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--learners", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        credentials = Path(tmp) / "credentials"
        make_credentials(credentials)
        server = Ralph(Path(tmp) / "ralph", credentials).start()
        try:
            started = time.perf_counter()
            server.post_all(statements(args.count, args.learners))
            print(f"posted {args.count} statements in batches of 500: {time.perf_counter() - started:.1f} s")
            fetch = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                got = sum(1 for _ in read_statements(server.endpoint, server.read_auth))
                fetch.append(time.perf_counter() - started)
            times = []
            os.chdir(ROOT)
            for _ in range(args.repeat):
                out, err = io.StringIO(), io.StringIO()
                started = time.perf_counter()
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = main(["training", "--lrs", server.endpoint, "--auth", server.read_auth, "--format", "json"])
                times.append(time.perf_counter() - started)
                assert code == 0, err.getvalue()
            learners = len(json.loads(out.getvalue())["learners"])
            print(f"fetching {got} statements ({-(-got // 100)} pages of 100): best {min(fetch):.2f} s")
            print(f"sop-hub training --format json: best {min(times):.2f} s of {args.repeat} ({learners} learners)")
            print(f"  {err.getvalue().strip()}")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main_())
