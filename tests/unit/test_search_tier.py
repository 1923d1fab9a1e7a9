"""The search tier: every document's id, title, place and people, small enough to load at once (SPEC §4)."""

from __future__ import annotations

import gzip
import json
from datetime import date
from typing import Any

from sop_hub.core.catalog import build_catalog
from sop_hub.core.metadata import Source, parse_source
from sop_hub.core.review import ReviewSettings
from sop_hub.core.search import search_tier, search_tier_gzip, search_tier_json

SETTINGS = ReviewSettings(as_of=date(2026, 6, 15))
QC = """\
---
type: process
id: qc
title: Quality control
owner: Helen Marsh
last_reviewed_on: 2026-01-26
stages:
  - id: inspect
    title: Inspection
---
"""


def sop(sop_id: str, title: str, extra: str = "") -> str:
    return (
        f"---\nid: {sop_id}\ntitle: {title}\nprocess: qc\nstage: inspect\n"
        f"owner: Priya Shah <priya@example.com>\nlast_reviewed_on: 2026-05-01\n{extra}---\n# {title}\n"
    )


def tier(files: dict[str, str], *, directory_urls: bool = True) -> dict[str, Any]:
    parsed = [parse_source(Source(src, f"docs/{src}", text)) for src, text in files.items()]
    return search_tier(build_catalog(parsed, SETTINGS), use_directory_urls=directory_urls)


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The tier's rows read back as the browser reads them (trailing defaults filled in)."""
    out = {}
    for row in data["docs"]:
        full = [*row, *[0, "", -1, -1, -1, 0, ""][len(row) - 2 :]][:9]
        doc_id, title, folder, leaf, group, owner, backup, state, replaced = full
        out[doc_id] = {
            "title": title,
            "url": data["dirs"][folder] + leaf,
            "group": data["groups"][group] if group >= 0 else None,
            "owner": data["people"][owner] if owner >= 0 else None,
            "backup": data["people"][backup] if backup >= 0 else None,
            "state": state,
            "replaced_by": replaced,
        }
    return out


def test_each_document_has_its_id_title_url_place_and_people() -> None:
    data = tier(
        {
            "qc/index.md": QC,
            "qc/inspect/cmm.md": sop("SOP-QC-003", "CMM calibration", "backup_owner: Tom Okafor\n"),
        }
    )
    assert rows(data) == {
        "qc": {
            "title": "Quality control",
            "url": "qc/",
            "group": None,
            "owner": "Helen Marsh",
            "backup": None,
            "state": 0,
            "replaced_by": "",
        },
        "SOP-QC-003": {
            "title": "CMM calibration",
            "url": "qc/inspect/cmm/",
            "group": "Quality control › Inspection",
            "owner": "Priya Shah",
            "backup": "Tom Okafor",
            "state": 0,
            "replaced_by": "",
        },
    }


def test_a_retired_document_names_its_replacement_and_a_draft_is_marked() -> None:
    data = rows(
        tier(
            {
                "qc/index.md": QC,
                "qc/inspect/new.md": sop("SOP-QC-001", "Incoming inspection"),
                "qc/inspect/old.md": sop("SOP-QC-009", "Paper inspection form", "superseded_by: SOP-QC-001\n"),
                "qc/inspect/wip.md": sop("SOP-QC-010", "Laser gauge", "status: draft\n"),
            }
        )
    )
    assert data["SOP-QC-009"]["state"] == 2
    assert data["SOP-QC-009"]["replaced_by"] == "SOP-QC-001 Incoming inspection"
    assert data["SOP-QC-010"]["state"] == 1
    assert data["SOP-QC-001"]["state"] == 0 and data["SOP-QC-001"]["replaced_by"] == ""


def test_urls_follow_use_directory_urls() -> None:
    data = rows(tier({"qc/index.md": QC, "qc/inspect/cmm.md": sop("SOP-QC-003", "CMM")}, directory_urls=False))
    assert data["SOP-QC-003"]["url"] == "qc/inspect/cmm.html"
    assert data["qc"]["url"] == "qc/index.html"


def test_repeated_strings_are_written_once() -> None:
    files = {"qc/index.md": QC} | {f"qc/inspect/s{n}.md": sop(f"SOP-{n}", f"Step {n}") for n in range(50)}
    data = tier(files)
    assert data["people"] == ["Helen Marsh", "Priya Shah"]
    assert data["groups"] == ["Quality control › Inspection"]
    assert data["dirs"] == ["", "qc/inspect/"]
    assert len(data["docs"]) == 51


def test_values_are_data_and_the_json_is_compact() -> None:
    title = '</script><img src=x onerror="alert(1)"> «Ölmessung»'
    text = search_tier_json(tier_catalog({"qc/index.md": QC, "qc/inspect/x.md": sop("SOP-X", json.dumps(title))}))
    assert json.loads(text)["docs"][1][1] == title  # the title is a JSON string, as written
    assert ", " not in text and ": " not in text.replace("› ", "")
    assert "«Ölmessung»" in text  # UTF-8, not \\u escapes


def test_about_a_hundred_bytes_a_document() -> None:
    files = {"qc/index.md": QC} | {
        f"qc/inspect/approve-purchase-order-{n:05d}.md": sop(f"SOP-{n:05d}", f"Approve a purchase order ({n})")
        for n in range(1000)
    }
    size = len(search_tier_json(tier_catalog(files)).encode())
    assert size / 1000 < 110, size


def test_the_gzipped_tier_is_small_and_the_same_bytes_every_build() -> None:
    files = {"qc/index.md": QC} | {
        f"qc/inspect/approve-purchase-order-{n:05d}.md": sop(f"SOP-{n:05d}", f"Approve a purchase order ({n})")
        for n in range(1000)
    }
    text = search_tier_json(tier_catalog(files))
    packed = search_tier_gzip(text)
    assert gzip.decompress(packed).decode("utf-8") == text
    assert packed == search_tier_gzip(text)  # no timestamp: a rebuild changes nothing
    assert len(packed) / 1000 < 25, len(packed)  # what the browser fetches, a document


def tier_catalog(files: dict[str, str]) -> Any:
    parsed = [parse_source(Source(src, f"docs/{src}", text)) for src, text in files.items()]
    return build_catalog(parsed, SETTINGS)
