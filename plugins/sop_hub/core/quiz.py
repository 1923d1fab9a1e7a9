"""Quiz and track files -> model, with problems (SPEC §5). Pure core: no MkDocs here.

Every wrong shape becomes a ``Problem`` with the file, the line of the offending key and what
would be right. A question that cannot be understood is left out of its quiz (and reported); a
quiz file that cannot be read at all still exists as an empty quiz, so the pages embedding it
show a clear box instead of a second "unknown quiz" problem.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sop_hub.core import yamlfile
from sop_hub.core.metadata import did_you_mean, split_front_matter
from sop_hub.core.model import Problem, Severity

QUIZ_KEYS = ("title", "description", "pass_mark", "shuffle", "questions")
QUESTION_KEYS = ("question", "choices", "answer", "order", "accept", "explanation")
CHOICE_KEYS = ("text", "feedback")
TRACK_KEYS = ("title", "description", "quizzes")
TRACKS_FILES = ("tracks.yml", "tracks.yaml")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_TRUE_WORDS = {"true": True, "yes": True, "false": False, "no": False}


class Kind:
    SINGLE = "single"  # radio buttons
    MULTIPLE = "multiple"  # checkboxes
    BOOLEAN = "boolean"  # True / False radios
    ORDER = "order"  # put items in order
    TEXT = "text"  # typed answer


@dataclass(frozen=True, slots=True)
class Choice:
    text: str  # Markdown
    feedback: str | None = None  # Markdown, shown when this choice is picked and checked


@dataclass(slots=True)
class Question:
    kind: str
    text: str  # Markdown
    line: int
    choices: list[Choice] = field(default_factory=list)  # single, multiple
    correct: list[int] = field(default_factory=list)  # indices into choices
    answer: bool | None = None  # boolean
    order: list[str] = field(default_factory=list)  # the right order (Markdown items)
    accept: list[str] = field(default_factory=list)  # typed answers as written
    explanation: str | None = None  # Markdown


@dataclass(slots=True)
class Quiz:
    id: str
    title: str
    path: str
    revision: str
    description: str | None = None
    pass_mark: int = 80
    shuffle: bool = True
    questions: list[Question] = field(default_factory=list)
    valid: bool = True  # False: the file has errors (some questions may be missing)


@dataclass(slots=True)
class Track:
    id: str
    title: str
    quizzes: list[str] = field(default_factory=list)
    description: str | None = None
    line: int = 1


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


def revision(data: bytes) -> str:
    """A short, stable fingerprint of some content."""
    return hashlib.sha256(data).hexdigest()[:10]


def page_revision(source_text: str) -> str:
    """The revision of a page as a quiz taker read it: its body, not its front-matter.

    Recording a review (a new ``last_reviewed_on``) does not change what a reader learnt, so it
    must not ask everyone to retake the quiz; an edit to the text does. Trailing spaces and line
    endings do not count either.
    """
    _, body, _ = split_front_matter(source_text)
    lines = [line.rstrip() for line in body.strip().splitlines()]
    return revision("\n".join(lines).encode("utf-8"))


def normalise_answer(text: str) -> str:
    """How typed answers are compared: Unicode NFKC and full case folding, spaces collapsed.

    So `Hauptstraße` matches `HAUPTSTRASSE`, `ΟΔΟΣ` matches `οδοσ`, `ﬁle` matches `file` and a
    full-width `Ｆ－１２` matches `F-12`. quiz.js ``norm`` does the same for what the reader types.
    """
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(folded.split())


def load_quiz_book(quizzes_dir: Path, root: Path) -> QuizBook:
    """Read every quiz file and ``tracks.yml`` in ``quizzes_dir``; a missing folder is an empty book."""
    book = QuizBook()
    if not quizzes_dir.is_dir():
        return book
    files = sorted(p for p in quizzes_dir.iterdir() if p.is_file() and p.suffix in (".yml", ".yaml"))
    tracks_file = None
    for path in files:
        rel = _relative(path, root)
        if path.name in TRACKS_FILES:
            tracks_file = tracks_file or path
            continue
        quiz_id = path.stem
        if quiz_id in book.quizzes:
            first = book.quizzes[quiz_id].path
            book.problems.append(
                Problem(
                    rel,
                    1,
                    Severity.ERROR,
                    "duplicate-quiz",
                    f"quiz `{quiz_id}` is also defined by {first}; keep one file per quiz",
                )
            )
            continue
        if not _ID.match(quiz_id):
            book.problems.append(
                Problem(
                    rel,
                    1,
                    Severity.ERROR,
                    "invalid-quiz-id",
                    f"`{path.name}`: a quiz file name is its id; use letters, digits, `-`, `_` and `.` only "
                    "(no spaces), e.g. `complaint-handling.yml`",
                )
            )
            continue
        quiz, problems = _read_quiz(quiz_id, path, rel)
        book.quizzes[quiz_id] = quiz
        book.problems.extend(problems)
    if tracks_file is not None:
        tracks, problems = _read_tracks(tracks_file, _relative(tracks_file, root), book.quizzes)
        book.tracks = tracks
        book.problems.extend(problems)
    return book


# -- quizzes ------------------------------------------------------------------------------------


def _read_quiz(quiz_id: str, path: Path, rel: str) -> tuple[Quiz, list[Problem]]:
    try:
        data_bytes = path.read_bytes()
        text = data_bytes.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        quiz = Quiz(quiz_id, quiz_id, rel, "unreadable", valid=False)
        return quiz, [Problem(rel, 1, Severity.ERROR, "unreadable", f"cannot read the quiz file: {error}")]
    quiz = Quiz(quiz_id, quiz_id, rel, revision(data_bytes))
    reader = _Reader(rel)
    loaded = yamlfile.load(text)
    if isinstance(loaded, yamlfile.YamlError):
        reader.error(loaded.line, "invalid-yaml", f"the quiz file is not valid YAML: {loaded.message}")
    else:
        data, lines, duplicates = loaded
        for dup in duplicates:
            reader.error(
                dup.line, "duplicate-key", f"`{dup.key}` is written twice (first on line {dup.first_line}); keep one"
            )
        if not isinstance(data, dict):
            example = "title: …\nquestions:\n  - question: …"
            reader.error(
                lines.line,
                "wrong-type",
                f"a quiz file is a mapping with `title` and `questions`, not {_kind(data)}; e.g. `{example}`",
            )
        else:
            reader.quiz(quiz, data, lines)
    quiz.valid = not any(p.severity is Severity.ERROR for p in reader.problems)
    return quiz, reader.problems


class _Reader:
    """Reads one quiz file's mapping into ``Quiz`` and ``Question`` values, collecting problems."""

    def __init__(self, rel: str) -> None:
        self.rel = rel
        self.problems: list[Problem] = []

    def error(self, line: int, code: str, message: str) -> None:
        self.problems.append(Problem(self.rel, max(line, 1), Severity.ERROR, code, message))

    def unknown_keys(self, data: dict[Any, Any], lines: yamlfile.Lines, known: tuple[str, ...], where: str) -> None:
        for key in data:
            if key not in known:
                hint = did_you_mean(str(key), known) or f"; known keys: {', '.join(f'`{k}`' for k in known)}"
                self.error(lines.at(key), "unknown-key", f"{where} has unknown key `{key}`{hint}")

    def text(self, value: Any, lines: yamlfile.Lines, what: str) -> str | None:
        """A scalar as text (numbers and booleans as written, so ``2.10`` stays ``2.10``)."""
        if isinstance(value, str):
            return value.strip() or None
        if isinstance(value, (int, float, bool)):
            return lines.raw.strip() if lines.raw is not None else str(value)
        self.error(lines.line, "wrong-type", f"{what} must be text, not {_kind(value)}")
        return None

    def quiz(self, quiz: Quiz, data: dict[Any, Any], lines: yamlfile.Lines) -> None:
        self.unknown_keys(data, lines, QUIZ_KEYS, "the quiz")
        title = self.text(data["title"], lines.child("title"), "`title`") if "title" in data else None
        if title is None:
            self.error(lines.at("title"), "missing-key", f"the quiz needs a `title`, e.g. `title: {quiz.id}`")
        quiz.title = title or quiz.id
        if data.get("description") is not None:
            quiz.description = self.text(data["description"], lines.child("description"), "`description`")
        if "pass_mark" in data:
            quiz.pass_mark = self.pass_mark(data["pass_mark"], lines.child("pass_mark"))
        if "shuffle" in data:
            shuffle = data["shuffle"]
            if isinstance(shuffle, bool):
                quiz.shuffle = shuffle
            else:
                self.error(lines.at("shuffle"), "wrong-type", f"`shuffle: {shuffle}` must be `true` or `false`")
        questions = data.get("questions")
        if not isinstance(questions, list) or not questions:
            got = "is missing" if questions is None else f"must be a list of questions, not {_kind(questions)}"
            self.error(
                lines.at("questions"),
                "missing-key" if questions is None else "wrong-type",
                f"`questions` {got}; e.g. `questions:\\n  - question: …\\n    answer: true`",
            )
            return
        for index, item in enumerate(questions):
            question = self.question(item, lines.child("questions").child(index), index + 1)
            if question is not None:
                quiz.questions.append(question)

    def pass_mark(self, value: Any, lines: yamlfile.Lines) -> int:
        if isinstance(value, str) and value.strip().endswith("%"):
            value = value.strip()[:-1].strip()
            value = int(value) if value.isdigit() else value
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            self.error(
                lines.line,
                "invalid-pass-mark",
                f"`pass_mark: {lines.raw or value}` must be a whole percentage from 0 to 100, e.g. `pass_mark: 80`",
            )
            return 80
        return value

    def question(self, item: Any, lines: yamlfile.Lines, number: int) -> Question | None:
        where = f"question {number}"
        if not isinstance(item, dict):
            self.error(
                lines.line, "wrong-type", f"{where} must be a mapping starting with `question:`, not {_kind(item)}"
            )
            return None
        errors = len(self.problems)
        self.unknown_keys(item, lines, QUESTION_KEYS, where)
        before = len(self.problems)
        text = (
            self.text(item["question"], lines.child("question"), f"{where}: `question`") if "question" in item else None
        )
        if text is None and "question" not in item:
            self.error(lines.line, "missing-key", f"{where} needs `question:` with the question's text")
        elif text is None and len(self.problems) == before:
            self.error(lines.at("question"), "missing-key", f"{where}: `question` is empty")
        explanation = None
        if item.get("explanation") is not None:
            explanation = self.text(item["explanation"], lines.child("explanation"), f"{where}: `explanation`")
        question = self.body(item, lines, where)
        if question is None or text is None or len(self.problems) > errors:
            if len(self.problems) == errors:  # never drop a question without saying why
                self.error(lines.line, "invalid-question", f"{where} cannot be read; see SPEC §5.1 for its forms")
            return None
        question.text, question.line, question.explanation = text, lines.line, explanation
        return question

    def body(self, item: dict[Any, Any], lines: yamlfile.Lines, where: str) -> Question | None:
        """What kind of question ``item`` is, from exactly one of choices+answer, answer, order, accept."""
        has = [key for key in ("choices", "order", "accept") if key in item]
        if "answer" in item and "choices" not in item:
            has.append("answer")
        if len(has) != 1:
            forms = "`choices` with `answer`, a true/false `answer`, `order`, or `accept`"
            if not has:
                self.error(lines.line, "missing-answer", f"{where} needs exactly one of {forms}")
            else:
                keys = " and ".join(f"`{key}`" for key in has)
                self.error(lines.at(has[1]), "ambiguous-question", f"{where} has {keys}; give exactly one of {forms}")
            return None
        kind = has[0]
        if kind == "answer":
            return self.boolean(item["answer"], lines.child("answer"), where)
        if kind == "choices":
            return self.choices(item, lines, where)
        if kind == "order":
            items = self.text_list(item["order"], lines.child("order"), f"{where}: `order`")
            if items is None:
                return None
            if len(items) < 2:
                self.error(
                    lines.at("order"), "too-few-items", f"{where}: `order` needs at least two items to put in order"
                )
                return None
            if self.duplicates(items, lines.child("order"), f"{where}: `order`"):
                return None
            return Question(Kind.ORDER, "", 0, order=items)
        accepted = self.text_list(item["accept"], lines.child("accept"), f"{where}: `accept`", single_ok=True)
        if accepted is None:
            return None
        if not accepted:
            self.error(lines.at("accept"), "missing-answer", f"{where}: `accept` needs at least one accepted answer")
            return None
        return Question(Kind.TEXT, "", 0, accept=accepted)

    def boolean(self, value: Any, lines: yamlfile.Lines, where: str) -> Question | None:
        if isinstance(value, str) and value.strip().casefold() in _TRUE_WORDS:
            value = _TRUE_WORDS[value.strip().casefold()]  # `answer: yes` (YAML 1.2 keeps it text)
        if isinstance(value, bool):
            return Question(Kind.BOOLEAN, "", 0, answer=value)
        shown = lines.raw if lines.raw is not None else _kind(value)
        self.error(
            lines.line,
            "invalid-answer",
            f"{where}: `answer: {shown}` without `choices` must be `true` or `false`; for a choice question "
            "add `choices:` listing it, for a typed answer use `accept:`",
        )
        return None

    def choices(self, item: dict[Any, Any], lines: yamlfile.Lines, where: str) -> Question | None:
        raw, clines = item["choices"], lines.child("choices")
        if not isinstance(raw, list):
            self.error(clines.line, "wrong-type", f"{where}: `choices` must be a list, e.g. `choices: [Yes, No]`")
            return None
        choices: list[Choice] = []
        for index, entry in enumerate(raw):
            choice = self.choice(entry, clines.child(index), f"{where}, choice {index + 1}")
            if choice is not None:
                choices.append(choice)
        if len(choices) != len(raw):
            return None
        if self.duplicates([c.text for c in choices], clines, f"{where}: `choices`"):
            return None
        if "answer" not in item:
            self.error(
                clines.line,
                "missing-answer",
                f"{where} has `choices` but no `answer`; add `answer:` with the right choice (or a list of them)",
            )
            return None
        answer, alines = item["answer"], lines.child("answer")
        texts = [choice.text for choice in choices]
        if isinstance(answer, list):
            answers = self.text_list(answer, alines, f"{where}: `answer`")
            kind = Kind.MULTIPLE
            if answers is not None and not answers:
                self.error(alines.line, "missing-answer", f"{where}: `answer` lists no choice")
                return None
        else:
            errors = len(self.problems)
            single = self.text(answer, alines, f"{where}: `answer`") if answer is not None else None
            answers, kind = ([single] if single is not None else None), Kind.SINGLE
            if single is None and len(self.problems) == errors:
                self.error(
                    alines.line,
                    "missing-answer",
                    f"{where}: `answer` is empty; write the right choice, e.g. `answer: {texts[0] if texts else '…'}`",
                )
        if answers is None:
            return None
        if self.duplicates(answers, alines, f"{where}: `answer`"):
            return None
        correct = []
        for position, text in enumerate(answers):
            if text not in texts:
                at = alines.child(position).line if kind == Kind.MULTIPLE else alines.line
                listed = ", ".join(f"`{t}`" for t in texts)
                self.error(
                    at,
                    "answer-not-a-choice",
                    f"{where}: answer `{text}` is not one of the choices{did_you_mean(text, texts)}; "
                    f"the choices are {listed}",
                )
                return None
            correct.append(texts.index(text))
        if len(choices) < 2:
            self.error(clines.line, "too-few-choices", f"{where} needs at least two choices")
            return None
        return Question(kind, "", 0, choices=choices, correct=sorted(correct))

    def choice(self, entry: Any, lines: yamlfile.Lines, where: str) -> Choice | None:
        errors = len(self.problems)
        if isinstance(entry, dict):
            self.unknown_keys(entry, lines, CHOICE_KEYS, where)
            if "text" not in entry:
                self.error(
                    lines.line,
                    "missing-key",
                    f"{where} is a mapping without `text`; e.g. `- text: Same day` with an optional `feedback:`",
                )
                return None
            text = self.text(entry["text"], lines.child("text"), f"{where}: `text`")
            feedback = None
            if entry.get("feedback") is not None:
                feedback = self.text(entry["feedback"], lines.child("feedback"), f"{where}: `feedback`")
            if text is None and len(self.problems) == errors:
                self.error(lines.at("text"), "missing-key", f"{where}: `text` is empty")
            return Choice(text, feedback) if text is not None and len(self.problems) == errors else None
        text = self.text(entry, lines, where) if entry is not None else None
        if text is None and len(self.problems) == errors:
            self.error(lines.line, "missing-key", f"{where} is empty")
        return Choice(text) if text is not None else None

    def text_list(self, value: Any, lines: yamlfile.Lines, what: str, *, single_ok: bool = False) -> list[str] | None:
        if single_ok and not isinstance(value, (list, dict)) and value is not None:
            value, lines = [value], yamlfile.Lines(lines.line, items=[lines])
        if not isinstance(value, list):
            self.error(lines.line, "wrong-type", f"{what} must be a list, e.g. `[first, second]`, not {_kind(value)}")
            return None
        out = []
        for index, entry in enumerate(value):
            text = self.text(entry, lines.child(index), f"{what}, item {index + 1}")
            if text is None:
                if isinstance(entry, str) or entry is None:
                    self.error(lines.child(index).line, "missing-key", f"{what}, item {index + 1} is empty")
                return None
            out.append(text)
        return out

    def duplicates(self, texts: list[str], lines: yamlfile.Lines, what: str) -> bool:
        seen: set[str] = set()
        for index, text in enumerate(texts):
            if text in seen:
                self.error(lines.child(index).line, "duplicate-item", f"{what} lists `{text}` twice; keep one")
                return True
            seen.add(text)
        return False


# -- tracks -------------------------------------------------------------------------------------


def _read_tracks(path: Path, rel: str, quizzes: dict[str, Quiz]) -> tuple[dict[str, Track], list[Problem]]:
    reader = _Reader(rel)
    tracks: dict[str, Track] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return tracks, [Problem(rel, 1, Severity.ERROR, "unreadable", f"cannot read the tracks file: {error}")]
    loaded = yamlfile.load(text)
    if isinstance(loaded, yamlfile.YamlError):
        reader.error(loaded.line, "invalid-yaml", f"the tracks file is not valid YAML: {loaded.message}")
        return tracks, reader.problems
    data, lines, duplicates = loaded
    for dup in duplicates:
        reader.error(
            dup.line, "duplicate-key", f"`{dup.key}` is written twice (first on line {dup.first_line}); keep one"
        )
    if data is None:
        return tracks, reader.problems
    if not isinstance(data, dict):
        reader.error(
            lines.line,
            "wrong-type",
            "tracks.yml maps each track id to its `title` and `quizzes`, e.g. "
            "`new-starter:\\n  title: New starter essentials\\n  quizzes: [site-safety]`",
        )
        return tracks, reader.problems
    known = sorted(quizzes)
    for track_id, item in data.items():
        tlines = lines.child(track_id)
        where = f"track `{track_id}`"
        if not isinstance(track_id, str) or not _ID.match(track_id):
            reader.error(
                tlines.line,
                "invalid-track-id",
                f"track id `{track_id}` is part of its page's address; use letters, digits, `-` and `_`",
            )
            continue
        if not isinstance(item, dict):
            reader.error(tlines.line, "wrong-type", f"{where} must be a mapping with `title` and `quizzes`")
            continue
        reader.unknown_keys(item, tlines, TRACK_KEYS, where)
        errors = len(reader.problems)
        title = reader.text(item["title"], tlines.child("title"), f"{where}: `title`") if "title" in item else None
        if title is None and len(reader.problems) == errors:
            reader.error(tlines.line, "missing-key", f"{where} needs a `title`, e.g. `title: New starter essentials`")
        description = None
        if item.get("description") is not None:
            description = reader.text(item["description"], tlines.child("description"), f"{where}: `description`")
        listed: list[str] = []
        if item.get("quizzes") is None:
            reader.error(tlines.line, "missing-key", f"{where} needs `quizzes:`, the list of quiz ids in order")
        else:
            listed = reader.text_list(item["quizzes"], tlines.child("quizzes"), f"{where}: `quizzes`") or []
        ids: list[str] = []
        for index, quiz_id in enumerate(listed):
            at = tlines.child("quizzes").child(index).line
            if quiz_id not in quizzes:
                hint = f"known quizzes: {', '.join(known)}" if known else "there are no quiz files yet"
                reader.error(
                    at,
                    "unknown-quiz",
                    f"{where} names quiz `{quiz_id}`, which has no file{did_you_mean(quiz_id, known)} ({hint})",
                )
            elif quiz_id in ids:
                reader.error(at, "duplicate-item", f"{where} lists quiz `{quiz_id}` twice; keep one")
            else:
                ids.append(quiz_id)
        if not ids and item.get("quizzes") is not None:
            reader.problems.append(
                Problem(
                    rel,
                    tlines.at("quizzes"),
                    Severity.WARNING,
                    "empty-track",
                    f"{where} has no quizzes to take{' that exist' if listed else ''}; its page says so. "
                    f"List quiz ids under `quizzes:`, e.g. `quizzes: [{known[0] if known else 'site-safety'}]`",
                )
            )
        tracks[track_id] = Track(track_id, title or track_id, ids, description, tlines.line)
    return tracks, reader.problems


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return f"`{value}`"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
