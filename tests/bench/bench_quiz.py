"""Quiz benchmark: 300 SOP pages with a 3-question quiz each vs the same pages without quizzes.

    python tests/bench/bench_quiz.py                  # 300 pages, 3 repetitions (~1 min on 2 cores)
    python tests/bench/bench_quiz.py --pages 100 --repeat 1

Both hubs come from the same synthetic generator (tests/bench/synthetic.py), both build with the
sop-hub plugin, the same theme features and Markdown extensions. The quiz hub gives every
procedure its own quiz (300 quiz files: a single-answer, a several-answer and an ordering or
typed question, with feedback, explanations and some Markdown) plus one track; the other hub has
no quizzes folder and no ``quiz:`` keys. Each build is a fresh ``mkdocs build`` process, the two
alternating; the median counts. The verdict uses the build's CPU time (user + system): on a
shared machine wall time of the same build varies by 2x, CPU time by a few percent. Wall time
is printed too. Target: quiz / no-quiz <= 1.10.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
import builder  # sibling scripts, not a package
import synthetic

HOST = builder.selected()  # $SOP_HUB_BUILDER: mkdocs (default) or properdocs

RATIO_TARGET = 1.10
_QUIZ_LINE = re.compile(r"^quiz: .*\n", re.MULTILINE)


def quiz_file(number: int) -> str:
    third: dict[str, object]
    if number % 2:
        third = {
            "question": f"Put the steps of procedure {number} in order.",
            "order": ["Prepare", "Do", "Check", "Close"],
        }
    else:
        third = {"question": "Which form records it? Give its number.", "accept": [f"F-{number}", f"F{number}"]}
    quiz = {
        "title": f"Procedure {number} knowledge check",
        "questions": [
            {
                "question": "Who signs the record when the **owner** is away?",
                "choices": [
                    "The backup owner",
                    {"text": "Anyone in the team", "feedback": "Only the named *backup owner* may sign."},
                    "Nobody",
                ],
                "answer": "The backup owner",
                "explanation": f"Every procedure names a backup owner (step {number % 12 + 1}).",
            },
            {
                "question": "Which records are kept? Select all that apply.",
                "choices": ["The signed form", "The approval email", "Draft notes"],
                "answer": ["The signed form", "The approval email"],
                "explanation": "See the `Records` table.",
            },
            {**third, "explanation": "As the procedure says."},
        ],
    }
    return yaml.safe_dump(quiz, sort_keys=False, allow_unicode=True)


def write_hubs(base: Path, pages: int) -> tuple[Path, Path]:
    """(with quizzes, without quizzes): the same pages, the plugin on in both."""
    plain = synthetic.write_hub(base / "without", pages)
    shutil.rmtree(plain / "quizzes")
    sources = sorted((plain / "docs").rglob("*.md"))
    for path in sources:
        path.write_text(_QUIZ_LINE.sub("", path.read_text(encoding="utf-8")), encoding="utf-8")
    quizzed = base / "with"
    shutil.copytree(plain, quizzed)
    folder = quizzed / "quizzes"
    folder.mkdir()
    for number in range(pages):
        src = quizzed / "docs" / synthetic.procedure_path(pages, number)
        text = src.read_text(encoding="utf-8")
        src.write_text(text.replace("---\n", f"---\nquiz: bench-{number}\n", 1), encoding="utf-8")
        (folder / f"bench-{number}.yml").write_text(quiz_file(number), encoding="utf-8")
    tracks = {"new-starter": {"title": "New starter", "quizzes": [f"bench-{i}" for i in range(min(5, pages))]}}
    (folder / "tracks.yml").write_text(yaml.safe_dump(tracks), encoding="utf-8")
    return quizzed, plain


def build_times(root: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``mkdocs build`` in a fresh process."""
    shutil.rmtree(root / "site", ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = builder.command(HOST, "build", "-q", "-f", "plugin.yml", "-d", str(root / "site"))
    before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
    wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit(f"build failed in {root}:\n{done.stderr[-4000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sop-hub-bench-quiz-") as tmp:
        quizzed, plain = write_hubs(Path(tmp), args.pages)
        wall: dict[str, list[float]] = {"with": [], "without": []}
        cpu: dict[str, list[float]] = {"with": [], "without": []}
        for rep in range(args.repeat):
            for kind in ("with", "without") if rep % 2 else ("without", "with"):
                seconds, cpu_seconds = build_times(quizzed if kind == "with" else plain)
                wall[kind].append(seconds)
                cpu[kind].append(cpu_seconds)
        forms = sum(1 for page in (quizzed / "site").rglob("index.html") if 'class="sqz"' in page.read_text("utf-8"))
    med = {kind: (statistics.median(wall[kind]), statistics.median(cpu[kind])) for kind in wall}
    ratio = med["with"][1] / med["without"][1]
    print(
        f"sop-hub quiz benchmark: {args.pages} pages, 3 questions each, {forms} pages with a quiz; "
        f"median of {args.repeat}"
    )
    for kind in ("without", "with"):
        runs = ", ".join(f"{w:.2f}/{c:.2f}" for w, c in zip(wall[kind], cpu[kind], strict=True))
        print(f"  {kind + ' quizzes:':<17} wall {med[kind][0]:.2f} s, CPU {med[kind][1]:.2f} s   (wall/CPU: {runs})")
    print(f"wall-time ratio with/without quizzes: {med['with'][0] / med['without'][0]:.3f} (noisy on shared machines)")
    verdict = "ok" if ratio <= RATIO_TARGET else "MISSED"
    print(f"CPU-time ratio with/without quizzes: {ratio:.3f} (target <= {RATIO_TARGET:.2f}: {verdict})")
    return 0 if ratio <= RATIO_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
