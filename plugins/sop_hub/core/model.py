"""The hub's data: owners, stages, processes, procedures and the one problem type.

Plain dataclasses with no behaviour beyond small derived properties, so that the plugin,
the command line and the tests all see the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One validation finding. Every output (build log, page, CLI formats) is made from these."""

    path: str  # relative to the project root (the folder holding mkdocs.yml), with "/"
    line: int  # 1-based; the offending key, else the front-matter's opening line
    severity: Severity
    code: str  # stable, kebab-case: "unknown-key", "invalid-date", ...
    message: str  # what is wrong and what would be right

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity}: {self.message}"


class ReviewStatus(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due-soon"
    CURRENT = "current"
    NOT_REQUIRED = "not-required"


class DocStatus(StrEnum):
    ACTIVE = "active"
    DRAFT = "draft"
    RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class Owner:
    name: str
    email: str | None = None
    role: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"name": self.name, "email": self.email, "role": self.role}


@dataclass(frozen=True, slots=True)
class Interval:
    """A review interval: ``count`` calendar units (``days``, ``weeks``, ``months``, ``years``)."""

    count: int
    unit: str

    def __str__(self) -> str:
        unit = self.unit if self.count != 1 else self.unit[:-1]
        return f"{self.count} {unit}"


@dataclass(slots=True)
class Stage:
    id: str
    title: str
    owner: Owner | None = None
    description: str | None = None
    declared: bool = True  # False: made up from the procedures that name it
    procedures: list[Procedure] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class Document:
    """What processes and procedures share: identity, ownership and the review rhythm."""

    id: str
    title: str
    src_uri: str  # relative to docs_dir, with "/"
    path: str  # relative to the project root, for messages
    owner: Owner | None = None
    backup_owner: Owner | None = None
    last_reviewed_on: date | None = None
    review_in: Interval | None = None  # None: the configured default for the kind
    review_by: date | None = None  # explicit next-review date
    version: str | None = None
    status: DocStatus = DocStatus.ACTIVE
    superseded_by: str | None = None
    # Document control (SPEC §3.1, §8):
    approved_by: Owner | None = None
    approved_on: date | None = None
    reviewed_by: Owner | None = None
    acknowledge: bool | None = None  # None: the config's default (issue 9 reads it)
    placeholders: list[int] = field(default_factory=list)  # lines still holding the template's text
    order: int | None = None
    tags: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # front-matter key -> line
    line: int = 1  # the front-matter's opening line
    problems: list[Problem] = field(default_factory=list)
    # Filled in by the catalog for its as-of date:
    next_review: date | None = None
    review_status: ReviewStatus = ReviewStatus.NOT_REQUIRED
    # Filled in by load_hub from the git history (core/history.py), else the body's content hash:
    revision: str | None = None
    effective_on: date | None = None

    kind = "document"

    def line_of(self, key: str) -> int:
        return self.lines.get(key, self.line)

    @property
    def sort_key(self) -> tuple[int, str]:
        return (self.order if self.order is not None else 1_000_000, self.title.casefold())


@dataclass(slots=True, kw_only=True)
class Procedure(Document):
    process: str
    stage: str | None = None  # as written (an id or a title)
    stage_id: str | None = None  # filled in by the catalog: the resolved stage's id
    quizzes: list[str] = field(default_factory=list)  # from front-matter `quiz:`
    inline_quizzes: list[tuple[str, int]] = field(default_factory=list)  # (id, line) in body

    kind = "procedure"

    @property
    def all_quizzes(self) -> list[str]:
        seen = dict.fromkeys([*self.quizzes, *(quiz for quiz, _ in self.inline_quizzes)])
        return list(seen)


@dataclass(slots=True, kw_only=True)
class Process(Document):
    purpose: str | None = None
    trigger: str | None = None
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    kpis: list[str] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    hands_off_to: list[str] = field(default_factory=list)
    placeholder: bool = False  # True: no process page exists; made up from its procedures
    # Filled in by the catalog:
    receives_from: list[str] = field(default_factory=list)
    procedures: list[Procedure] = field(default_factory=list)  # those with no stage

    kind = "process"

    def stage(self, key: str) -> Stage | None:
        """Find a stage by id, else by title (case-insensitive)."""
        for stage in self.stages:
            if stage.id == key:
                return stage
        folded = key.casefold()
        for stage in self.stages:
            if stage.title.casefold() == folded or stage.id == slugify(key):
                return stage
        return None


def slugify(text: str) -> str:
    """``"Account set-up"`` -> ``"account-set-up"``: the id of a stage given by title only."""
    out: list[str] = []
    for char in text.casefold():
        if char.isalnum():
            out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")
