"""A synthetic SOP hub of any size, for the benchmarks: realistic front-matter, ~400-word bodies.

    write_hub(root, 1000)   # root/docs, root/quizzes, root/plain.yml, root/plugin.yml

About one process per 30 procedures, each with four stages and hand-offs; procedures with
numbered steps, a records table and links; review dates spread so that some are overdue and some
due soon on the fixed as-of date. ``plain.yml`` and ``plugin.yml`` share the theme, its features,
the Markdown extensions and ``search``; only ``plugin.yml`` enables ``sop-hub``. Deterministic: the
same ``n`` gives the same files.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

AS_OF = "2026-06-15"
PROCEDURES_PER_PROCESS = 30
STAGES = ("Prepare", "Carry out", "Check", "Close out")

THEME_FEATURES = [  # the repo's mkdocs.yml: the configuration the README recommends
    "navigation.indexes",
    "navigation.prune",
    "navigation.instant",
    "navigation.tracking",
    "navigation.top",
    "search.highlight",
    "search.suggest",
    "content.code.copy",
]
MARKDOWN_EXTENSIONS: list[Any] = ["admonition", "attr_list", "md_in_html", "tables", {"toc": {"permalink": True}}]

_FIRST = ("Sarah", "Tom", "Priya", "James", "Aisha", "Marek", "Lena", "Daniel", "Grace", "Omar", "Hannah", "Wei")
_LAST = ("Whitfield", "Okafor", "Shah", "Turner", "Rahman", "Novak", "Berg", "Murphy", "Adeyemi", "Lindqvist")
_ROLES = ("Operations Manager", "Quality Lead", "Finance Controller", "Team Lead", "Buyer", "HR Advisor")
_AREAS = (
    "Customer service", "Purchasing", "Goods receipt", "Machining", "Inspection", "Calibration", "Payroll",
    "Accounts payable", "Accounts receivable", "Despatch", "Maintenance", "Health and safety", "Recruitment",
    "IT support", "Tooling", "Stores", "Planning", "Sales operations", "Supplier quality", "Training",
)  # fmt: skip
_OBJECTS = (
    "purchase order", "supplier invoice", "batch record", "inspection report", "calibration certificate",
    "work order", "credit note", "non-conformance report", "delivery note", "access request",
    "change request", "stock count", "risk assessment", "training record", "customer return",
)  # fmt: skip
_VERBS = ("Approve", "Raise", "Check", "Record", "Archive", "Review", "Issue", "Reconcile", "Escalate", "Close")
_SENTENCES = (
    "Open the {obj} in the ERP and confirm that the reference matches the paperwork in front of you.",
    "If any field is missing, stop and ask the {role} before you go on; never guess a value.",
    "Record the date and your initials on the {obj}, then attach the scan to the record in the system.",
    "Compare the quantities with the delivery note and note any difference of more than two percent.",
    "Send the {obj} to the {role} for sign-off and set its status to Waiting for approval.",
    "When the {role} is away, the backup owner signs instead and says so in the comment field.",
    "Check that the {obj} uses the current template; an old revision must be withdrawn and replaced.",
    "File the signed copy in the controlled folder and tell the requester by email that it is done.",
    "Anything that cannot be resolved within two working days is escalated to the process owner.",
    "Keep the original for six years after closure, as the retention schedule requires.",
)


def write_hub(root: Path, n: int, *, seed: int = 7) -> Path:
    """Write a hub of ``n`` procedures under ``root``; return ``root``.

    Also ``plain-noprune.yml`` and ``plugin-noprune.yml``: the same without ``navigation.prune``.
    """
    rng = random.Random(seed)
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    people = [f"{first} {last}" for last in _LAST for first in _FIRST]
    rng.shuffle(people)
    people = people[: max(8, min(60, n // 15))]
    process_count = max(1, round(n / PROCEDURES_PER_PROCESS))
    processes = [_process_id(i) for i in range(process_count)]
    _write(docs / "index.md", _home(n, process_count))
    for index, pid in enumerate(processes):
        _write(docs / pid / "index.md", _process_page(index, pid, processes, people, rng))
    as_of = date.fromisoformat(AS_OF)
    for number in range(n):
        index = number % process_count
        pid = processes[index]
        stage = _slug(STAGES[(number // process_count) % len(STAGES)])
        slug = _procedure_slug(number)
        _write(docs / pid / stage / f"{slug}.md", _procedure(number, pid, stage, process_count, n, people, as_of, rng))
    _write_quizzes(root / "quizzes")
    plugin_options = {"quizzes_dir": "quizzes", "as_of": AS_OF, "due_soon": "30 days"}
    for suffix, features in (
        ("", THEME_FEATURES),
        ("-noprune", [f for f in THEME_FEATURES if f != "navigation.prune"]),
    ):
        base: dict[str, Any] = {
            "site_name": f"Synthetic hub ({n} SOPs)",
            "docs_dir": "docs",
            "theme": {"name": "material", "font": False, "features": features},
            "markdown_extensions": MARKDOWN_EXTENSIONS,
        }
        plain = {**base, "plugins": ["search"]}
        plugin = {**base, "plugins": ["search", {"sop-hub": plugin_options}]}
        _write(root / f"plain{suffix}.yml", yaml.safe_dump(plain, sort_keys=False))
        _write(root / f"plugin{suffix}.yml", yaml.safe_dump(plugin, sort_keys=False))
    return root


def procedure_path(n: int, number: int) -> str:
    """The src_uri (under docs/) of procedure ``number`` in a hub of ``n``."""
    process_count = max(1, round(n / PROCEDURES_PER_PROCESS))
    stage = _slug(STAGES[(number // process_count) % len(STAGES)])
    return f"{_process_id(number % process_count)}/{stage}/{_procedure_slug(number)}.md"


def procedure_id(number: int) -> str:
    return f"SOP-{number + 1:05d}"


def _process_id(index: int) -> str:
    return f"{_slug(_AREAS[index % len(_AREAS)])}-{index + 1:03d}"


def _procedure_slug(number: int) -> str:
    return f"{_slug(_VERBS[number % len(_VERBS)])}-{_slug(_OBJECTS[number % len(_OBJECTS)])}-{number + 1:05d}"


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("&", "and").split())


def _home(n: int, processes: int) -> str:
    return (
        f"---\ntitle: Synthetic SOP hub\n---\n\n# Synthetic SOP hub\n\n"
        f"{n} procedures filed under {processes} processes, generated for the build benchmark.\n"
    )


def _owner(people: list[str], rng: random.Random) -> str:
    name = rng.choice(people)
    return f"{name} <{name.lower().replace(' ', '.')}@example.com>"


def _process_page(index: int, pid: str, processes: list[str], people: list[str], rng: random.Random) -> str:
    area = _AREAS[index % len(_AREAS)]
    hands_off = sorted({processes[(index + step) % len(processes)] for step in (1, 3)} - {pid})
    front = {
        "type": "process",
        "title": f"{area} {index + 1}",
        "owner": {"name": rng.choice(people), "role": rng.choice(_ROLES)},
        "backup_owner": _owner(people, rng),
        "purpose": f"Deliver {area.lower()} work on time and right first time, with a record of every decision.",
        "trigger": f"A request for {area.lower()} arrives in the shared queue.",
        "inputs": ["The request and its reference", "The current template"],
        "outputs": ["A completed, signed record", "A hand-off to the next process"],
        "kpis": ["Requests closed within 5 working days (target 95%)", "Records failing audit (target zero)"],
        "stages": [
            STAGES[0],
            {"id": _slug(STAGES[1]), "title": STAGES[1], "owner": rng.choice(people)},
            {"id": _slug(STAGES[2]), "title": STAGES[2], "description": "Second pair of eyes on every record."},
            STAGES[3],
        ],
        "hands_off_to": hands_off,
        "last_reviewed_on": date(2026, 1, 20),
        "version": "2.0",
        "order": index + 1,
    }
    body = (
        f"# {area} {index + 1}\n\n"
        f"This process covers every {area.lower()} request from the moment it arrives to the moment the "
        "record is closed. It runs through four stages in a fixed order; each stage's procedures are "
        "listed below with their review status.\n\n## Escalation\n\n"
        "Anything open for more than two working days goes to the process owner.\n"
    )
    return _front(front) + body


def _procedure(
    number: int,
    pid: str,
    stage: str,
    process_count: int,
    n: int,
    people: list[str],
    as_of: date,
    rng: random.Random,
) -> str:
    verb, obj = _VERBS[number % len(_VERBS)], _OBJECTS[number % len(_OBJECTS)]
    article = "an" if obj[0] in "aeiou" else "a"
    title = f"{verb} {article} {obj} ({number + 1})"
    # Spread over ~4 months back: with a 3-month interval about a quarter are overdue, ~a third due soon.
    reviewed = as_of - timedelta(days=rng.randint(0, 125))
    front: dict[str, Any] = {
        "title": title,
        "id": procedure_id(number),
        "process": pid,
        "stage": stage,
        "order": number // (process_count * len(STAGES)) + 1,
        "owner": _owner(people, rng),
        "backup_owner": _owner(people, rng),
        "last_reviewed_on": reviewed,  # a date: written unquoted, as authors do
        "version": f"{rng.randint(1, 5)}.{rng.randint(0, 9)}",
        "tags": [obj.split()[-1]],
    }
    if number % 25 == 3:
        front["review_in"] = "6 months"
    if number % 40 == 7:
        front["review_by"] = as_of + timedelta(days=rng.randint(-20, 60))
    if number % 50 == 11:
        front["quiz"] = ("document-control", "escalation", "records")[number % 3]
    if number % 97 == 13:
        del front["last_reviewed_on"]
        front["status"] = "draft"
    sibling = procedure_path(n, (number + process_count) % n)
    steps = "\n".join(
        f"{step}. {rng.choice(_SENTENCES).format(obj=obj, role=rng.choice(_ROLES))}" for step in range(1, 13)
    )
    paragraph = " ".join(rng.choice(_SENTENCES).format(obj=obj, role=rng.choice(_ROLES)) for _ in range(5))
    body = (
        f"# {title}\n\n## Purpose\n\n"
        f"To {verb.lower()} every {obj} the same way, so that the record is complete, signed and can be "
        "found again at audit. This procedure is the controlled version; printed copies are uncontrolled.\n\n"
        f"## Scope\n\n{paragraph}\n\n"
        f"## Procedure\n\n{steps}\n\n"
        "!!! note\n    Ask the procedure's owner when a step does not fit the case in front of you.\n\n"
        "## Records\n\n| record | where | kept for |\n|---|---|---|\n"
        f"| {obj.capitalize()} | ERP, attached to the request | 6 years |\n"
        "| Approval email | Shared mailbox, filed by reference | 2 years |\n\n"
        f"## Related documents\n\n- [The next procedure in the hub](../../{sibling})\n"
        "- [The process this procedure belongs to](../index.md)\n"
    )
    return _front(front) + body


def _write_quizzes(folder: Path) -> None:
    question = {
        "question": "Who signs the record when the owner is away?",
        "choices": ["The backup owner", "Anyone in the team", "Nobody"],
        "answer": "The backup owner",
        "explanation": "Every procedure names a backup owner.",
    }
    for quiz_id, title in (
        ("document-control", "Document control"),
        ("escalation", "Escalation"),
        ("records", "Records"),
    ):
        quiz = {
            "title": title,
            "questions": [question, {"question": "Records are kept for six years.", "answer": True}],
        }
        _write(folder / f"{quiz_id}.yml", yaml.safe_dump(quiz, sort_keys=False))
    tracks = {"new-starter": {"title": "New starter", "quizzes": ["document-control", "escalation", "records"]}}
    _write(folder / "tracks.yml", yaml.safe_dump(tracks, sort_keys=False))


def _front(data: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
