"""Quiz and track files -> model, with problems (SPEC §5). STUB: replaced by the quiz work."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sop_hub.model import Problem


@dataclass(slots=True)
class Quiz:
    id: str
    title: str
    path: str
    revision: str


@dataclass(slots=True)
class Track:
    id: str
    title: str
    quizzes: list[str] = field(default_factory=list)
    description: str | None = None


@dataclass(slots=True)
class QuizBook:
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    tracks: dict[str, Track] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def revisions(self) -> dict[str, str]:
        return {quiz_id: quiz.revision for quiz_id, quiz in self.quizzes.items()}

    def changed_since(self, previous: QuizBook) -> set[str]:
        """Ids of quizzes added or edited since ``previous`` (for incremental rebuilds)."""
        old = previous.revisions()
        return {quiz_id for quiz_id, revision in self.revisions().items() if old.get(quiz_id) != revision}


def load_quiz_book(quizzes_dir: Path, root: Path) -> QuizBook:
    return QuizBook()
