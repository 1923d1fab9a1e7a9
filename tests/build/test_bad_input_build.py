"""Broken and extreme input files: each is a problem on that file, and the rest of the site builds."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import PROCESS, procedure

EXTREME_DATES = {
    "min-review-by": "review_by: 0001-01-01\n",
    "max-review-by": "review_by: 9999-12-31\n",
    "max-last-reviewed": "",  # last_reviewed_on set below
    "max-last-days": "review_in: 9999 days\n",
    "max-last-years": "review_in: 9999 years\n",
}


def _procedure(name: str, extra: str, last: str = "2026-05-01") -> str:
    return procedure(name, last, extra=extra)


def extreme_files() -> dict[str, str]:
    files = {"docs/index.md": "# Home\n", "docs/complaints/index.md": PROCESS}
    for name, extra in EXTREME_DATES.items():
        last = "9999-12-31" if name.startswith("max-last") else "2026-05-01"
        files[f"docs/complaints/{name}.md"] = _procedure(name, extra, last)
    files["docs/complaints/min-last.md"] = _procedure("min-last", "", "0001-01-01")
    return files


@pytest.mark.parametrize("due_soon", ["30 days", "9999 years", "999999 days", "9999 months"])
def test_extreme_dates_build(make_hub, build, due_soon):
    root = make_hub(extreme_files(), plugin={"due_soon": due_soon})
    result = build(root)
    assert result.ok, result.error
    page = result.html("complaints/max-review-by/")
    assert "9999-12-31" in page
    register = json.loads((result.site / "register.json").read_text(encoding="utf-8"))
    dates = {doc["id"]: doc["review_by"] for doc in register["documents"]}
    assert dates["complaints/min-review-by"] == "0001-01-01"
    assert dates["complaints/max-last-days"] == "9999-12-31"


_KEYS = "process: complaints\nstage: record\nowner: Tom Okafor\nlast_reviewed_on: 2026-05-01\n"
NEAR_MISSES = {
    "unclosed": f"---\n{_KEYS}\n# Unclosed\n",
    "at-end": f"---\ntitle: At end\n{_KEYS}---",
    "blank-first": f"\n\n---\n{_KEYS}---\n# Blank first\n",
}


def test_near_miss_front_matter_is_never_shown_as_text_and_is_listed_in_its_place(make_hub, build):
    files = {"docs/index.md": "# Home\n", "docs/complaints/index.md": PROCESS}
    files.update({f"docs/complaints/{name}.md": text for name, text in NEAR_MISSES.items()})
    root = make_hub(files)
    for name, text in NEAR_MISSES.items():  # make_hub dedents and strips leading newlines
        (root / "docs" / "complaints" / f"{name}.md").write_text(text, encoding="utf-8")
    result = build(root)
    assert result.ok, result.error
    for name in NEAR_MISSES:
        page = result.html(f"complaints/{name}/")
        assert "last_reviewed_on: 2026" not in page and "process: complaints" not in page, name
    listing = result.html("complaints/")
    for name in NEAR_MISSES:
        assert f'href="{name}/"' in listing or f'href="./{name}/"' in listing, name
    log = result.log
    assert "docs/complaints/unclosed.md:1: error: the front-matter opened by `---` on line 1 is never closed" in log
    assert "docs/complaints/at-end.md:7: warning: the closing `---` is the file's last line" in log
    assert "docs/complaints/blank-first.md:1: warning: 2 blank lines before the opening `---`" in log
    assert not build(root, strict=True).ok


def test_misplaced_quiz_markers_are_reported_the_same_by_build_and_check(make_hub, build, capsys, monkeypatch):
    from sop_hub.cli import main

    files = {
        "docs/index.md": "# Home\n\n<!-- quiz: intake -->\n",
        "docs/complaints/index.md": PROCESS + "\n<!-- quiz: intake -->\n",
        "docs/complaints/intake.md": procedure("Intake", "2026-05-01") + "\n    <!-- quiz: intake -->\n",
        "quizzes/intake.yml": "title: Intake\nquestions:\n"
        "  - question: Ready?\n    choices: [Go, Wait]\n    answer: Go\n",
    }
    root = make_hub(files)
    expected = [
        "docs/complaints/index.md:10: warning: `<!-- quiz: intake -->` is on a page that is not a procedure",
        "docs/complaints/intake.md:10: warning: `<!-- quiz: intake -->` is indented four spaces or more",
        "docs/index.md:3: warning: `<!-- quiz: intake -->` is on a page that is not a procedure",
    ]
    result = build(root)
    assert result.ok, result.error
    for line in expected:
        assert line in result.log
    monkeypatch.chdir(root)
    capsys.readouterr()
    main(["check", "--format", "text"])
    out = capsys.readouterr().out
    for line in expected:
        assert line in out
