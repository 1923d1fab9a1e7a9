"""Give the demo hub a believable git history, in a copy, without touching this repository's history.

    python scripts/demo_history.py              # writes .demo/ (docs/, quizzes/, mkdocs.yml, .git/)
    python scripts/demo_history.py --out /tmp/northwind
    python -m mkdocs serve --dirty -f .demo/mkdocs.yml

The demo in ``docs/`` lives in this repository, whose history is the code's, so its pages would
show the developers' commits. This script copies ``docs/``, ``quizzes/`` and ``mkdocs.yml`` into a
separate folder (default ``.demo/`` at the repository root, which ``.gitignore`` keeps out of this
repository) and makes a new repository there, with a scripted history dated relative to today so
the changes page always has recent rows:

| days ago | who | commit |
|---|---|---|
| 420 | Sarah Whitfield | the initial issue of the handbook: every page, a few in an earlier state |
| 300 | Marek Novak | a new procedure (CMM calibration) |
| 200 | Aisha Rahman | a rename (complaint intake moved to ``intake.md``): its history follows it |
| 120 | Rachel Ahmed | a real change: purchase orders gain their Records section |
| 40 | Daniel Murphy | a real change: supplier invoice approval gains its Roles section |
| 12 | Grace Adeyemi | an editorial fix (a typo), with the trailer ``Sop-Change: editorial`` |
| 5 | Sarah Whitfield | an approval: ``approved_by`` / ``approved_on`` on the purchase order (editorial) |
| 2 | Tom Okafor | a real change: first-off inspection gains its Records section |

The approval is editorial: it approves the content as it stands, so the revision stays the
content's. At the end the copy's files equal the demo's (except the approval keys). The folder is recreated
on every run; a folder that this script did not make is left alone unless ``--force``. The
commits use the people above as author and committer (not your git identity) and are never
signed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MARKER = "sop-hub-demo"  # in .git/: this folder is ours to recreate

PO = "docs/purchasing/purchase-order/purchase-order.md"
INVOICES = "docs/month-end-close/invoice-approval/supplier-invoice-approval.md"
FIRST_OFF = "docs/quality-control/in-process/first-off-inspection.md"
BANK = "docs/month-end-close/reconcile/bank-reconciliation.md"
INTAKE = "docs/complaints/record/intake.md"
INTAKE_BEFORE = "docs/complaints/record/complaint-intake.md"
CMM = "docs/quality-control/calibration/cmm-calibration.md"


@dataclass(frozen=True)
class Person:
    name: str
    email: str


SARAH = Person("Sarah Whitfield", "sarah.whitfield@northwind.example")
MAREK = Person("Marek Novak", "marek.novak@northwind.example")
AISHA = Person("Aisha Rahman", "aisha.rahman@northwind.example")
RACHEL = Person("Rachel Ahmed", "rachel.ahmed@northwind.example")
DANIEL = Person("Daniel Murphy", "daniel.murphy@northwind.example")
GRACE = Person("Grace Adeyemi", "grace.adeyemi@northwind.example")
TOM = Person("Tom Okafor", "tom.okafor@northwind.example")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / ".demo", help="folder to write (default: .demo/)")
    parser.add_argument("--force", action="store_true", help="replace --out even if this script did not make it")
    parser.add_argument("--today", type=date.fromisoformat, default=date.today(), help="date the history ends near")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if out == REPO or REPO.is_relative_to(out):
        sys.exit(f"--out {out} would replace this repository; choose a folder of its own")
    if out.exists():
        if not (out / ".git" / MARKER).exists() and not args.force:
            sys.exit(f"{out} exists and was not made by this script; remove it or pass --force")
        shutil.rmtree(out)
    make_demo(out, args.today)
    print(f"demo hub with git history in {out}; serve it with: python -m mkdocs serve --dirty -f {out}/mkdocs.yml")
    return 0


def make_demo(out: Path, today: date) -> None:
    """Copy the demo into ``out`` and commit its scripted history there."""
    final = {path: (REPO / path).read_text(encoding="utf-8") for path in _demo_files()}
    out.mkdir(parents=True)
    git = _Git(out, today)
    git("init", "-q", "-b", "main")
    (out / ".git" / MARKER).write_text("made by scripts/demo_history.py; rerunning it recreates this folder\n")

    first = dict(final)
    first[PO] = _without_section(final[PO], "Records")
    first[INVOICES] = _without_section(final[INVOICES], "Roles and responsibilities")
    first[FIRST_OFF] = _without_section(final[FIRST_OFF], "Records")
    first[BANK] = _with_typos(final[BANK])
    first[INTAKE_BEFORE] = first.pop(INTAKE)
    del first[CMM]
    _write(out, first)
    git.commit(420, SARAH, "Issue the Northwind SOP handbook\n\nFirst controlled issue of every process and procedure.")

    _write(out, {CMM: final[CMM]})
    git.commit(300, MAREK, "Add the CMM calibration procedure\n\nThe new CMM needs its own calibration interval.")

    git("mv", INTAKE_BEFORE, INTAKE)
    git.commit(200, AISHA, "Rename complaint intake to match the form's name")

    for days, person, path, message in (
        (120, RACHEL, PO, "Purchase orders: say which records to keep and for how long"),
        (40, DANIEL, INVOICES, "Supplier invoices: name who approves above each limit"),
    ):
        _write(out, {path: final[path]})
        git.commit(days, person, message)

    _write(out, {BANK: final[BANK]})
    message = "Fix typos in the bank reconciliation\n\nNo change to what anyone does.\n\nSop-Change: editorial"
    git.commit(12, GRACE, message)

    approved_on = today - timedelta(days=5)
    _write(out, {PO: _approved(final[PO], SARAH.name, approved_on)})
    # The approval approves the content as it stands: editorial, so the revision stays the content's.
    message = f"Approve {_title(final[PO])} for use\n\nReviewed against ISO 9001 7.5.2 c.\n\nSop-Change: editorial"
    git.commit(5, SARAH, message)

    _write(out, {FIRST_OFF: final[FIRST_OFF]})
    git.commit(2, TOM, "First-off inspection: keep the signed first-off report with the job")


def _demo_files() -> list[str]:
    files = [p for top in ("docs", "quizzes") for p in sorted((REPO / top).rglob("*")) if p.is_file()]
    return [p.relative_to(REPO).as_posix() for p in files] + ["mkdocs.yml"]


def _write(out: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


_SECTION = re.compile(r"^## +(.+)$", re.M)


def _without_section(text: str, heading: str) -> str:
    """The page without its ``## heading`` section (a later commit adds it: a real change)."""
    sections = list(_SECTION.finditer(text))
    for index, found in enumerate(sections):
        if found.group(1).strip() == heading:
            end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
            return text[: found.start()] + text[end:]
    raise SystemExit(f"the demo page has no section {heading!r}; update scripts/demo_history.py")


def _with_typos(text: str) -> str:
    """Two typos in the body (the editorial commit fixes them)."""
    head, _, body = text.partition("\n# ")
    return head + "\n# " + body.replace(" the ", " teh ", 1).replace(" and ", " adn ", 1)


def _approved(text: str, approver: str, on: date) -> str:
    """The page with ``approved_by`` and ``approved_on`` added to its front-matter."""
    if not text.startswith("---\n"):
        raise SystemExit("the approved demo page has no front-matter; update scripts/demo_history.py")
    closing = text.index("\n---\n", 4)
    return f"{text[:closing]}\napproved_by: {approver}\napproved_on: {on.isoformat()}{text[closing:]}"


def _title(text: str) -> str:
    found = re.search(r"^title: *(.+)$", text, re.M) or re.search(r"^# +(.+)$", text, re.M)
    return found.group(1).strip().strip("\"'") if found else "Procedure"


class _Git:
    def __init__(self, root: Path, today: date) -> None:
        self.root = root
        self.today = today

    def __call__(self, *args: str, env: dict[str, str] | None = None) -> None:
        command = ["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false", *args]
        subprocess.run(command, cwd=self.root, env=env, check=True)

    def commit(self, days_ago: int, person: Person, message: str) -> None:
        when = f"{(self.today - timedelta(days=days_ago)).isoformat()}T10:{days_ago % 60:02d}:00+00:00"
        env = {
            **os.environ,
            "GIT_AUTHOR_NAME": person.name,
            "GIT_AUTHOR_EMAIL": person.email,
            "GIT_AUTHOR_DATE": when,
            "GIT_COMMITTER_NAME": person.name,
            "GIT_COMMITTER_EMAIL": person.email,
            "GIT_COMMITTER_DATE": when,
        }
        self("add", "-A", env=env)
        self("commit", "-q", "--no-verify", "-m", message, env=env)


if __name__ == "__main__":
    sys.exit(main())
