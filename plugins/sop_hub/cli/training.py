"""``sop-hub training``: read the hub's learning records back from the LRS and print the training
matrix (SPEC §7, §9) as text, JSON, CSV or a self-contained HTML page.

The LRS is read with the xAPI statements resource (``GET <endpoint>statements``), unfiltered,
following ``more`` links on the same server only (the credential is never sent elsewhere); the
hub's statements are picked out here. Not filtered by the LRS because the hub's object ids are
prefixes (``<site_url>sop-hub/...``), which xAPI cannot query, and because ``verb=`` and
``activity=`` match nothing on Ralph 5.1.0's file-system backend (it compares the stored id with a
pydantic ``IRI`` object, never equal: an upstream defect). Exit 0, or 2 with one line saying what to do when the LRS
cannot be reached, refuses the credential or does not answer like an xAPI LRS.
"""

from __future__ import annotations

import argparse
import base64
import csv
import html
import http.client
import io
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sop_hub.cli.common import EXIT_OK, UsageError, describe, note
from sop_hub.cli.files import write_output
from sop_hub.cli.project import PLUGIN, read_project, review_settings
from sop_hub.core.hub import load_hub
from sop_hub.core.training import (
    ACKNOWLEDGED,
    FAILED,
    NOT_STARTED,
    PASSED,
    REFRESH,
    ItemStatus,
    Matrix,
    catalog_from_hub,
    content_revisions,
    training_matrix,
)

ENV_AUTH = "SOP_HUB_LRS_AUTH"
XAPI_VERSION = "1.0.3"
TIMEOUT = 30.0  # seconds per request
_MAX_BODY = 64 * 1024 * 1024  # bytes of one page of statements: more is not an LRS answering


def add_parser(commands: Any, config_help: str) -> None:
    training = commands.add_parser(
        "training",
        help="read the learning records from the LRS and print the training matrix",
        description="Read the hub's xAPI statements back from the Learning Record Store (paging through "
        "`more`), join them with the current quizzes, documents and tracks, and print who passed what, "
        "on which date and revision, what needs a refresh, what was failed (best score) and what is not started.",
        epilog="exit status:\n  0  the matrix was written\n  2  it could not run: bad arguments or config, "
        "the LRS cannot be reached, refuses the credential or does not answer like an xAPI LRS\n\n"
        f"The credential: --auth, else ${ENV_AUTH}. Give one that may READ statements (not the public "
        "write-only one in mkdocs.yml), as `Basic <base64>` or `user:password`.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    training.add_argument(
        "--lrs", required=True, metavar="URL", help="the LRS's xAPI base, e.g. https://lrs.example.com/xAPI/"
    )
    training.add_argument(
        "--auth", metavar="CREDENTIAL", help=f"`Basic <base64>` or `user:password` (default: ${ENV_AUTH})"
    )
    training.add_argument("-f", "--config-file", dest="config", metavar="FILE", help=config_help)
    training.add_argument("--format", choices=("text", "json", "csv", "html"), default="text")
    training.add_argument("--output", "-o", metavar="FILE", help="write the matrix to FILE instead of stdout")
    training.set_defaults(run=run_training)


def run_training(args: argparse.Namespace) -> int:
    endpoint = _endpoint(args.lrs)
    authorization = _authorization(args.auth if args.auth is not None else os.environ.get(ENV_AUTH))
    project = read_project(args.config)
    if not project.has_plugin:
        note(f"{project.config_file} does not use the `{PLUGIN}` plugin; reading it with the default settings")
    settings = review_settings(project, None)
    hub = load_hub(project.pages(), root=project.root, quizzes_dir=project.quizzes_dir, settings=settings)
    if not project.site_url:
        note(
            f"{project.config_file} has no site_url: statements about every SOP Hub in this LRS are counted; "
            "set site_url to the hub's address"
        )
    catalog = catalog_from_hub(
        hub,
        site_url=project.site_url,
        revisions=content_revisions(hub),  # until document control (SPEC §8) supplies revisions
        directory_urls=project.directory_urls,
        acknowledge_all=project.options.get("acknowledge") is True,
    )
    statements = read_statements(endpoint, authorization)
    matrix = training_matrix(statements, catalog, settings.as_of)
    message = matrix.note()
    if message:
        note(message)
    if args.format == "json":
        out = json_matrix(matrix)
    elif args.format == "csv":
        out = csv_matrix(matrix)
    elif args.format == "html":
        out = html_matrix(matrix)
    else:
        out = text_matrix(matrix)
    if args.output:
        try:
            write_output(Path(args.output), out.encode("utf-8"))
        except OSError as error:
            raise UsageError(f"cannot write the matrix to {describe(error)}") from None
    else:
        sys.stdout.write(out)
        sys.stdout.flush()
    return EXIT_OK


# -- the LRS -------------------------------------------------------------------------------------


def _endpoint(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(
            f"--lrs `{url}` is not an http(s) address; give the LRS's xAPI base, e.g. https://lrs.example.com/xAPI/"
        )
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/", "", ""))


def _authorization(credential: str | None) -> str | None:
    if credential is None or not credential.strip():
        return None
    text = credential.strip()
    if any(char in text for char in "\r\n\0"):
        raise UsageError("the LRS credential has a line break in it; give `Basic <base64>` or `user:password`")
    if " " in text:
        return text  # `Basic aHViOnNlY3JldA==`, as in mkdocs.yml
    if ":" in text:
        return "Basic " + base64.b64encode(text.encode("utf-8")).decode("ascii")
    raise UsageError("the LRS credential must be `Basic <base64>` (as in mkdocs.yml) or `user:password`")


def read_statements(endpoint: str, authorization: str | None, query: dict[str, str] | None = None) -> Iterator[Any]:
    """Every statement the query returns, ``more`` links followed; ``UsageError`` with one line
    when the LRS cannot be read."""
    url: str | None = endpoint + "statements" + ("?" + urllib.parse.urlencode(query) if query else "")
    origin = urllib.parse.urlsplit(endpoint)[:2]
    seen: set[str] = set()
    while url:
        if url in seen:
            raise UsageError(f"the LRS at {endpoint} sent the same `more` link twice ({url}); it is not paging")
        seen.add(url)
        body = _get_json(url, endpoint, authorization)
        statements, more = body.get("statements"), body.get("more")
        if not isinstance(statements, list) or not isinstance(more, (str, type(None))):
            raise UsageError(
                f"the LRS at {endpoint} did not answer with xAPI statements (no `statements` list); "
                "check that --lrs is the xAPI base, e.g. https://lrs.example.com/xAPI/"
            )
        yield from statements
        url = None
        if more:
            url = urllib.parse.urljoin(endpoint, more)
            if urllib.parse.urlsplit(url)[:2] != origin:
                raise UsageError(
                    f"the LRS at {endpoint} sent a `more` link to another server ({more}); "
                    "not followed, so the credential stays with the LRS"
                )


def _get_json(url: str, endpoint: str, authorization: str | None) -> dict[str, Any]:
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, headers=headers, method="GET")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            raw = response.read(_MAX_BODY + 1)
    except urllib.error.HTTPError as error:
        error.close()
        raise UsageError(_refusal(error.code, endpoint, authorization)) from None
    except urllib.error.URLError as error:
        reason = error.reason.strerror if isinstance(error.reason, OSError) and error.reason.strerror else error.reason
        raise UsageError(
            f"cannot reach the LRS at {endpoint} ({reason}); check --lrs and that the LRS is running"
        ) from None
    except TimeoutError:
        raise UsageError(f"the LRS at {endpoint} did not answer within {TIMEOUT:.0f} s; try again later") from None
    except (OSError, http.client.HTTPException, ValueError) as error:
        raise UsageError(
            f"reading from the LRS at {endpoint} failed ({error or type(error).__name__}); try again"
        ) from None
    if len(raw) > _MAX_BODY:
        raise UsageError(
            f"the LRS at {endpoint} sent more than {_MAX_BODY // 2**20} MB in one page; that is not an LRS answer"
        )
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise UsageError(
            f"the LRS at {endpoint} did not answer with JSON; check that --lrs is the xAPI base, "
            "e.g. https://lrs.example.com/xAPI/"
        )
    return body


def _refusal(status: int, endpoint: str, authorization: str | None) -> str:
    if status in (401, 403):
        if not authorization:
            return (
                f"the LRS at {endpoint} needs a credential (HTTP {status}); "
                f"give one that may read statements with --auth or ${ENV_AUTH}"
            )
        return (
            f"the LRS at {endpoint} refused the credential (HTTP {status}); give one that may read statements "
            f"(not the write-only one of mkdocs.yml) with --auth or ${ENV_AUTH}"
        )
    if status == 404:
        return f"the LRS at {endpoint} has no statements resource (HTTP 404); give the xAPI base, e.g. https://lrs.example.com/xAPI/"
    return f"the LRS at {endpoint} answered HTTP {status} when asked for statements; check the LRS and try again"


# -- formats -------------------------------------------------------------------------------------

_STATUS_TEXT = {
    PASSED: "passed",
    FAILED: "failed",
    ACKNOWLEDGED: "acknowledged",
    REFRESH: "refresh needed",
    NOT_STARTED: "not started",
}


def _plain(text: str) -> str:
    """Learner-written text on one terminal line: control characters shown, never run."""
    return "".join(char if char.isprintable() else ascii(char)[1:-1] for char in text)


def describe_item(item: ItemStatus) -> str:
    """One item's status in words: "passed on 2026-06-01 (revision abc1234, 80%)"."""
    when = item.date.isoformat() if item.date else ""
    details = [f"revision {item.revision}"] if item.revision else []
    if item.score is not None:
        details.append(f"{item.score}%")
    extra = f" ({', '.join(details)})" if details else ""
    if item.status == PASSED:
        return f"passed on {when}{extra}"
    if item.status == ACKNOWLEDGED:
        return f"acknowledged on {when}{extra}"
    if item.status == FAILED:
        best = f", best score {item.score}%" if item.score is not None else ""
        return f"not passed{best} (last attempt {when})"
    if item.status == REFRESH:
        verb = "passed" if item.kind == "quiz" else "acknowledged"
        return f"refresh needed: {verb} on {when}{extra}, changed since"
    return "not started"


def text_matrix(matrix: Matrix) -> str:
    catalog = matrix.catalog
    documents = sum(1 for kind, _ in matrix.columns if kind == "document")
    lines = [
        f"Training matrix as of {matrix.as_of.isoformat()}: {_count(len(matrix.learners), 'learner')}, "
        f"{_count(len(catalog.quizzes), 'quiz', 'quizzes')}, {_count(documents, 'document')}, "
        f"{_count(len(catalog.tracks), 'track')}"
    ]
    if not matrix.learners:
        lines.append("No learning records for this hub yet.")
    width = max((len(item_id) for _, item_id in matrix.columns), default=0)
    for learner in matrix.learners:
        lines += ["", _plain(f"{learner.name or learner.email} <{learner.email}>")]
        for track in learner.tracks:
            state = f"complete on {track.date.isoformat()}" if track.complete and track.date else "in progress"
            lines.append(_plain(f"  track {track.id}: {track.done} of {track.total} done, {state}"))
        for item in learner.items:
            lines.append(_plain(f"  {item.kind:<8} {item.id:<{width}}  {describe_item(item)}"))
    return "\n".join(lines) + "\n"


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


def json_matrix(matrix: Matrix) -> str:
    data = {
        "as_of": matrix.as_of.isoformat(),
        "learners": [
            {
                "name": learner.name,
                "email": learner.email,
                "items": [
                    {
                        "kind": item.kind,
                        "id": item.id,
                        "status": item.status,
                        "date": item.date.isoformat() if item.date else None,
                        "score": item.score,
                        "revision": item.revision,
                    }
                    for item in learner.items
                ],
                "tracks": [
                    {
                        "id": track.id,
                        "complete": track.complete,
                        "done": track.done,
                        "total": track.total,
                        "date": track.date.isoformat() if track.date else None,
                    }
                    for track in learner.tracks
                ],
            }
            for learner in matrix.learners
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


CSV_COLUMNS = ("name", "email", "kind", "id", "status", "date", "score", "revision", "done", "total")


def _cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: a leading = + - @ (a formula) gets a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def csv_matrix(matrix: Matrix) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for learner in matrix.learners:
        who = [_cell(learner.name), _cell(learner.email)]
        for item in learner.items:
            date_text = item.date.isoformat() if item.date else ""
            writer.writerow(
                [
                    *who,
                    item.kind,
                    _cell(item.id),
                    item.status,
                    date_text,
                    _cell(item.score),
                    _cell(item.revision),
                    "",
                    "",
                ]
            )
        for track in learner.tracks:
            state = "complete" if track.complete else "in-progress" if track.done else NOT_STARTED
            date_text = track.date.isoformat() if track.date else ""
            writer.writerow([*who, "track", _cell(track.id), state, date_text, "", "", track.done, track.total])
    return out.getvalue()


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem;color:#1a1a1a}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
p.meta{color:#555;margin:0 0 1rem}
table{border-collapse:collapse;margin:.5rem 0 1rem}th,td{border:1px solid #ccc;padding:.35rem .6rem;
vertical-align:top;text-align:left}th{background:#f3f3f3}td small{display:block;color:#555}
td.passed,td.acknowledged{background:#e6f4ea}td.refresh-needed{background:#fff4d6}
td.failed{background:#fde7e7}td.not-started{color:#666}td.complete{background:#e6f4ea;font-weight:600}
@media print{body{margin:0}th{background:none}}
"""


def html_matrix(matrix: Matrix) -> str:
    """A page a manager can open or publish: no script, no external request, every value escaped."""
    catalog, esc = matrix.catalog, html.escape
    titles = {("quiz", q.id): q.title for q in catalog.quizzes.values()}
    titles |= {("document", d.id): d.title for d in catalog.documents.values()}
    columns = set(matrix.columns)
    sections = []
    in_tracks: set[tuple[str, str]] = set()
    for track in catalog.tracks.values():
        keys = [("quiz", q) for q in track.quizzes] + [("document", d) for d in track.read]
        keys = [key for key in keys if key in columns]
        in_tracks.update(keys)
        sections.append(_html_table(matrix, f"Track: {track.title}", keys, titles, track.id))
    rest = [key for key in matrix.columns if key not in in_tracks]
    if rest:
        sections.append(
            _html_table(matrix, "Not in a track" if catalog.tracks else "Quizzes and documents", rest, titles, None)
        )
    if not matrix.learners:
        sections = ["<p>No learning records for this hub yet.</p>"]
    site = f" of {esc(catalog.site_url)}" if catalog.site_url else ""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>Training matrix, {matrix.as_of.isoformat()}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<h1>Training matrix</h1>\n<p class="meta">Learning records{site} as of '
        f'<time datetime="{matrix.as_of.isoformat()}">{matrix.as_of.isoformat()}</time>: '
        f"{_count(len(matrix.learners), 'learner')}.</p>\n" + "\n".join(sections) + "\n</body>\n</html>\n"
    )


_KIND_LABEL = {"quiz": "Quiz", "document": "Read"}


def _html_table(
    matrix: Matrix, heading: str, keys: list[tuple[str, str]], titles: dict[tuple[str, str], str], track_id: str | None
) -> str:
    esc = html.escape
    head = "".join(
        f'<th scope="col">{esc(titles.get(key, key[1]))}<small>{_KIND_LABEL[key[0]]}: {esc(key[1])}</small></th>'
        for key in keys
    )
    if track_id is not None:
        head += '<th scope="col">Progress</th>'
    rows = []
    for learner in matrix.learners:
        cells = [f'<th scope="row">{esc(learner.name or learner.email)}<small>{esc(learner.email)}</small></th>']
        status = {(item.kind, item.id): item for item in learner.items}
        for key in keys:
            item = status[key]
            cells.append(f'<td class="{esc(item.status)}">{esc(describe_item(item))}</td>')
        if track_id is not None:
            track = next(t for t in learner.tracks if t.id == track_id)
            if track.complete:
                when = f" on {track.date.isoformat()}" if track.date else ""
                cells.append(
                    f'<td class="complete">Complete{esc(when)}<small>{track.done} of {track.total}</small></td>'
                )
            else:
                cells.append(f"<td>{track.done} of {track.total} done</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<h2>{esc(heading)}</h2>\n<table>\n<thead><tr><th scope="col">Learner</th>{head}</tr></thead>\n'
        f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )
