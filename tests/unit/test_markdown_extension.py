"""sop_hub.markdown in plain Python-Markdown, configured from mkdocs.yml alone: no MkDocs involved."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from sop_hub.markdown import SopHubExtension

PROCEDURE = """---
id: SOP-1
title: Log a complaint
process: complaints
owner: Sarah Whitfield
last_reviewed_on: 2026-05-01
---
# Log a complaint

Open the log.

<!-- quiz: intake -->
"""
QUIZ = """
title: Intake check
questions:
  - question: Log every complaint the same day.
    answer: true
"""
PROCESS = """---
type: process
id: complaints
title: Complaints
owner: Sarah Whitfield
last_reviewed_on: 2026-05-01
---
# Complaints
"""


@pytest.fixture
def hub_dir(tmp_path: Path) -> Path:
    (tmp_path / "mkdocs.yml").write_text("site_name: T\nplugins:\n  - sop-hub:\n      as_of: 2026-06-01\n")
    (tmp_path / "docs" / "complaints").mkdir(parents=True)
    (tmp_path / "docs" / "complaints" / "index.md").write_text(PROCESS)
    (tmp_path / "docs" / "complaints" / "log.md").write_text(PROCEDURE)
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "quizzes" / "intake.yml").write_text(QUIZ)
    return tmp_path


def convert(extension: SopHubExtension, src_uri: str, url: str, text: str) -> str:
    extension.begin_page(src_uri, url, text)
    body = text.split("---\n", 2)[2]  # the host strips the front-matter
    return markdown.Markdown(extensions=[extension]).convert(body)


def test_procedure_page_gets_its_header_after_the_h1_and_its_quiz(hub_dir: Path) -> None:
    extension = SopHubExtension(config_file=str(hub_dir / "mkdocs.yml"))
    html = convert(extension, "complaints/log.md", "complaints/log/", PROCEDURE)
    assert re.match(r'<h1[^>]*>Log a complaint</h1>\s*<[^>]+class="sop-header[^"]*"[^>]*data-sop-id="SOP-1"', html), (
        html
    )
    assert '<form class="sqz' in html
    assert "data-sop-deferred" not in html  # standalone: final HTML, nothing left to fill
    assert "<!-- quiz:" not in html


def test_process_page_gets_its_sections_with_their_headings(hub_dir: Path) -> None:
    extension = SopHubExtension(config_file=str(hub_dir / "mkdocs.yml"))
    html = convert(extension, "complaints/index.md", "complaints/", PROCESS)
    assert '<h2 id="stages-and-procedures">' in html or "<h2>Stages and procedures</h2>" in html, html
    assert 'data-sop-slot="stages"' not in html  # filled
    assert 'href="log/"' in html  # the procedure, linked relative to the process page


def test_loaded_by_name_like_any_python_markdown_extension(hub_dir: Path) -> None:
    md = markdown.Markdown(
        extensions=["sop_hub.markdown"],
        extension_configs={"sop_hub.markdown": {"config_file": str(hub_dir / "mkdocs.yml")}},
    )
    extension = next(ext for ext in md.registeredExtensions if isinstance(ext, SopHubExtension))
    extension.begin_page("complaints/log.md", "complaints/log/", PROCEDURE)
    assert 'data-sop-id="SOP-1"' in md.convert(PROCEDURE.split("---\n", 2)[2])


def test_without_a_hub_the_error_says_how_to_give_one() -> None:
    with pytest.raises(RuntimeError, match=r"config_file: mkdocs\.yml"):
        markdown.Markdown(extensions=[SopHubExtension()])


def test_the_extension_loads_no_site_generator() -> None:
    probe = (
        "import sys, sop_hub.markdown; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material')))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
