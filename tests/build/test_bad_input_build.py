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
