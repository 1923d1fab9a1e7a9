"""Quiz and track files: every wrong shape is a problem with the file, the line and a fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from sop_hub.core.model import Problem, Severity
from sop_hub.core.quiz import Kind, QuizBook, load_quiz_book, normalise_answer, page_revision

SPEC_EXAMPLE = """
title: Customer complaint handling
description: Check you know how a complaint moves from intake to closure.
pass_mark: 80
shuffle: true
questions:
  - question: Within what time must a new complaint be acknowledged?
    choices: [Same working day, Within 48 hours, Within a week]
    answer: Same working day
    explanation: Step 2 of the intake procedure sets a same-day acknowledgement.
  - question: Which details go in the complaint log? Select all that apply.
    choices:
      - Customer reference
      - Date received
      - text: Customer's home address
        feedback: Only the reference; the address stays in the CRM.
      - Complaint category
    answer: [Customer reference, Date received, Complaint category]
  - question: Complaints open for more than 48 hours go to the process owner.
    answer: true
  - question: Put the stages of complaint handling in order.
    order: [Record, Investigate, Respond, Close]
  - question: Which form records a complaint? Give its number.
    accept: [F-12, F12]
"""


def load(tmp_path: Path, files: dict[str, str]) -> QuizBook:
    folder = tmp_path / "quizzes"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return load_quiz_book(folder, tmp_path)


def one_problem(book: QuizBook, code: str) -> Problem:
    found = [p for p in book.problems if p.code == code]
    assert len(found) == 1, book.problems
    return found[0]


def quiz_with(question: str) -> str:
    """A quiz file whose only question is ``question`` (YAML, indented as a list item's body)."""
    body = textwrap.indent(textwrap.dedent(question).strip(), "    ")
    return f"title: T\nquestions:\n  - {body.lstrip()}\n"


def test_spec_example_loads_every_question_kind(tmp_path: Path) -> None:
    book = load(tmp_path, {"complaint-handling.yml": SPEC_EXAMPLE})
    assert book.problems == []
    quiz = book.quizzes["complaint-handling"]
    assert (quiz.title, quiz.pass_mark, quiz.shuffle, quiz.valid) == ("Customer complaint handling", 80, True, True)
    assert quiz.path == "quizzes/complaint-handling.yml"
    kinds = [q.kind for q in quiz.questions]
    assert kinds == [Kind.SINGLE, Kind.MULTIPLE, Kind.BOOLEAN, Kind.ORDER, Kind.TEXT]
    assert quiz.questions[0].correct == [0]
    assert quiz.questions[1].correct == [0, 1, 3]
    assert quiz.questions[1].choices[2].feedback == "Only the reference; the address stays in the CRM."
    assert quiz.questions[2].answer is True
    assert quiz.questions[4].accept == ["F-12", "F12"]


def test_missing_quizzes_folder_is_an_empty_book(tmp_path: Path) -> None:
    book = load_quiz_book(tmp_path / "nope", tmp_path)
    assert (book.quizzes, book.tracks, book.problems) == ({}, {}, [])


def test_revision_changes_with_the_file_and_only_then(tmp_path: Path) -> None:
    first = load(tmp_path, {"q.yml": SPEC_EXAMPLE}).quizzes["q"].revision
    again = load(tmp_path, {"q.yml": SPEC_EXAMPLE}).quizzes["q"].revision
    edited = load(tmp_path, {"q.yml": SPEC_EXAMPLE.replace("Within a week", "Within 5 days")}).quizzes["q"].revision
    assert first == again != edited
    assert len(first) == 10


def test_page_revision_ignores_front_matter_and_trailing_spaces() -> None:
    page = "---\nprocess: p\nlast_reviewed_on: 2026-01-01\n---\n# Title\n\nStep one.\n"
    reviewed = page.replace("2026-01-01", "2026-04-01")
    assert page_revision(page) == page_revision(reviewed) == page_revision(page.replace("one.", "one.   "))
    assert page_revision(page) != page_revision(page.replace("Step one.", "Step two."))


def test_typed_answers_ignore_case_and_spaces() -> None:
    assert normalise_answer("  f-12 ") == normalise_answer("F-12")
    assert normalise_answer("F   12") == "f 12"


def test_unknown_question_key_is_an_error_with_a_suggestion(tmp_path: Path) -> None:
    text = quiz_with("""
        question: Q?
        choices: [a, b]
        answr: a
        """)
    book = load(tmp_path, {"q.yml": text})
    problem = one_problem(book, "unknown-key")
    assert problem.severity is Severity.ERROR
    assert (problem.path, problem.line) == ("quizzes/q.yml", 5)
    assert "`answr`" in problem.message and "did you mean `answer`" in problem.message
    assert book.quizzes["q"].questions == []  # the typo must not silently drop an answer


def test_unknown_quiz_key_is_an_error(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": "title: T\npassmark: 90\nquestions:\n  - question: Q\n    answer: true\n"})
    problem = one_problem(book, "unknown-key")
    assert problem.line == 2 and "did you mean `pass_mark`" in problem.message


def test_answer_not_among_the_choices_names_them(tmp_path: Path) -> None:
    text = quiz_with("""
        question: Q?
        choices: [Same working day, Within 48 hours]
        answer: Same workin day
        """)
    problem = one_problem(load(tmp_path, {"q.yml": text}), "answer-not-a-choice")
    assert problem.line == 5
    assert "did you mean `Same working day`" in problem.message
    assert "`Within 48 hours`" in problem.message


def test_wrong_item_of_a_several_answer_list_is_pointed_at(tmp_path: Path) -> None:
    text = quiz_with("""
        question: Q?
        choices: [a, b, c]
        answer:
          - a
          - d
        """)
    assert one_problem(load(tmp_path, {"q.yml": text}), "answer-not-a-choice").line == 7


def test_single_answer_needs_two_choices(tmp_path: Path) -> None:
    text = quiz_with("question: Q?\nchoices: [only]\nanswer: only")
    assert one_problem(load(tmp_path, {"q.yml": text}), "too-few-choices").line == 4


def test_order_needs_two_items(tmp_path: Path) -> None:
    text = quiz_with("question: Q?\norder: [only]")
    assert one_problem(load(tmp_path, {"q.yml": text}), "too-few-items").line == 4


def test_question_with_two_answer_forms_is_ambiguous(tmp_path: Path) -> None:
    text = quiz_with("question: Q?\norder: [a, b]\naccept: [x]")
    problem = one_problem(load(tmp_path, {"q.yml": text}), "ambiguous-question")
    assert problem.line == 5 and "`order` and `accept`" in problem.message


def test_question_without_an_answer_says_what_forms_exist(tmp_path: Path) -> None:
    problem = one_problem(load(tmp_path, {"q.yml": quiz_with("question: Q?\nexplanation: E")}), "missing-answer")
    assert problem.line == 3 and "`accept`" in problem.message and "`order`" in problem.message


def test_choices_without_answer(tmp_path: Path) -> None:
    problem = one_problem(load(tmp_path, {"q.yml": quiz_with("question: Q?\nchoices: [a, b]")}), "missing-answer")
    assert problem.line == 4 and "add `answer:`" in problem.message


def test_question_text_is_required(tmp_path: Path) -> None:
    problem = one_problem(load(tmp_path, {"q.yml": "title: T\nquestions:\n  - answer: true\n"}), "missing-key")
    assert problem.line == 3 and "`question:`" in problem.message


@pytest.mark.parametrize(("written", "meant"), [("yes", True), ("No", False), ("TRUE", True), ("false", False)])
def test_yes_no_answer_without_choices_is_understood_as_true_false(tmp_path: Path, written: str, meant: bool) -> None:
    book = load(tmp_path, {"q.yml": quiz_with(f"question: Q?\nanswer: {written}")})
    assert book.problems == []
    question = book.quizzes["q"].questions[0]
    assert (question.kind, question.answer) == (Kind.BOOLEAN, meant)


def test_other_answer_without_choices_is_reported_clearly(tmp_path: Path) -> None:
    problem = one_problem(load(tmp_path, {"q.yml": quiz_with("question: Q?\nanswer: maybe")}), "invalid-answer")
    assert problem.line == 4
    assert "must be `true` or `false`" in problem.message and "`choices:`" in problem.message


def test_yes_and_no_choices_stay_text(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": quiz_with("question: Q?\nchoices: [Yes, No]\nanswer: No")})
    question = book.quizzes["q"].questions[0]
    assert [c.text for c in question.choices] == ["Yes", "No"] and question.correct == [1]


def test_number_choices_keep_their_written_form(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": quiz_with("question: Version?\nchoices: [2.10, 2.5]\nanswer: 2.10")})
    question = book.quizzes["q"].questions[0]
    assert book.problems == [] and [c.text for c in question.choices] == ["2.10", "2.5"] and question.correct == [0]


def test_true_false_as_choices_work(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": quiz_with("question: Q?\nchoices: [true, false, unsure]\nanswer: false")})
    assert book.problems == [] and book.quizzes["q"].questions[0].correct == [1]


def test_choice_mapping_with_a_typo_is_an_error(tmp_path: Path) -> None:
    text = quiz_with("""
        question: Q?
        choices:
          - a
          - text: b
            feedbak: nope
        answer: a
        """)
    problem = one_problem(load(tmp_path, {"q.yml": text}), "unknown-key")
    assert problem.line == 7 and "did you mean `feedback`" in problem.message


def test_choice_mapping_needs_text(tmp_path: Path) -> None:
    text = quiz_with("question: Q?\nchoices:\n  - a\n  - feedback: f\nanswer: a")
    assert one_problem(load(tmp_path, {"q.yml": text}), "missing-key").line == 6


def test_duplicate_choices_are_an_error(tmp_path: Path) -> None:
    text = quiz_with("question: Q?\nchoices: [a, a, b]\nanswer: a")
    assert "`a` twice" in one_problem(load(tmp_path, {"q.yml": text}), "duplicate-item").message


def test_accept_may_be_one_string(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": quiz_with("question: Q?\naccept: F-12")})
    assert book.problems == [] and book.quizzes["q"].questions[0].accept == ["F-12"]


def test_empty_accept_is_an_error(tmp_path: Path) -> None:
    assert one_problem(load(tmp_path, {"q.yml": quiz_with("question: Q?\naccept: []")}), "missing-answer").line == 4


@pytest.mark.parametrize("value", ["150", "high", "true", "-5"])
def test_pass_mark_must_be_a_percentage(tmp_path: Path, value: str) -> None:
    text = f"title: T\npass_mark: {value}\nquestions:\n  - question: Q\n    answer: true\n"
    problem = one_problem(load(tmp_path, {"q.yml": text}), "invalid-pass-mark")
    assert problem.line == 2 and "pass_mark: 80" in problem.message


def test_pass_mark_with_a_percent_sign_is_fine(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": "title: T\npass_mark: 90%\nquestions:\n  - question: Q\n    answer: true\n"})
    assert book.problems == [] and book.quizzes["q"].pass_mark == 90


def test_shuffle_must_be_a_boolean(tmp_path: Path) -> None:
    text = "title: T\nshuffle: sometimes\nquestions:\n  - question: Q\n    answer: true\n"
    assert one_problem(load(tmp_path, {"q.yml": text}), "wrong-type").line == 2


def test_broken_yaml_is_a_problem_on_its_line(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": "title: T\nquestions:\n  - question: [unclosed\n    answer: true\n"})
    problem = one_problem(book, "invalid-yaml")
    assert problem.path == "quizzes/q.yml" and problem.line >= 3
    assert book.quizzes["q"].valid is False  # still known, so pages say "has problems", not "unknown"


def test_duplicate_key_is_reported(tmp_path: Path) -> None:
    text = "title: T\ntitle: U\nquestions:\n  - question: Q\n    answer: true\n"
    assert one_problem(load(tmp_path, {"q.yml": text}), "duplicate-key").line == 2


def test_quiz_file_must_be_a_mapping(tmp_path: Path) -> None:
    assert "`title` and `questions`" in one_problem(load(tmp_path, {"q.yml": "- a\n- b\n"}), "wrong-type").message


def test_title_and_questions_are_required(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": "description: D\n"})
    codes = sorted(p.code for p in book.problems)
    assert codes == ["missing-key", "missing-key"]
    assert book.quizzes["q"].title == "q"


def test_a_bad_question_leaves_the_good_ones(tmp_path: Path) -> None:
    text = "title: T\nquestions:\n  - question: Good\n    answer: true\n  - question: Bad\n    answer: maybe\n"
    book = load(tmp_path, {"q.yml": text})
    assert [q.text for q in book.quizzes["q"].questions] == ["Good"]
    assert book.quizzes["q"].valid is False


def test_quiz_file_name_with_spaces_is_a_problem(tmp_path: Path) -> None:
    book = load(tmp_path, {"my quiz.yml": SPEC_EXAMPLE})
    assert "my quiz" not in book.quizzes
    assert "no spaces" in one_problem(book, "invalid-quiz-id").message


def test_same_quiz_id_in_yml_and_yaml_is_a_problem(tmp_path: Path) -> None:
    book = load(tmp_path, {"q.yml": SPEC_EXAMPLE, "q.yaml": SPEC_EXAMPLE})
    problem = one_problem(book, "duplicate-quiz")
    assert {problem.path, problem.message.split(" by ")[1].split(";")[0]} == {"quizzes/q.yml", "quizzes/q.yaml"}


# -- tracks ---------------------------------------------------------------------------------------


def test_tracks_load_in_order(tmp_path: Path) -> None:
    tracks = "new-starter:\n  title: New starter\n  description: First week.\n  quizzes: [b, a]\n"
    book = load(tmp_path, {"a.yml": SPEC_EXAMPLE, "b.yml": SPEC_EXAMPLE, "tracks.yml": tracks})
    assert book.problems == []
    track = book.tracks["new-starter"]
    assert (track.title, track.description, track.quizzes) == ("New starter", "First week.", ["b", "a"])
    assert "tracks" not in book.quizzes


def test_track_naming_an_unknown_quiz_is_a_problem(tmp_path: Path) -> None:
    tracks = "new-starter:\n  title: New starter\n  quizzes:\n    - complaint-handling\n    - complaint-handlin\n"
    book = load(tmp_path, {"complaint-handling.yml": SPEC_EXAMPLE, "tracks.yml": tracks})
    problem = one_problem(book, "unknown-quiz")
    assert (problem.path, problem.line) == ("quizzes/tracks.yml", 5)
    assert "did you mean `complaint-handling`" in problem.message
    assert book.tracks["new-starter"].quizzes == ["complaint-handling"]


def test_track_listing_a_quiz_twice_is_a_problem(tmp_path: Path) -> None:
    tracks = "t:\n  title: T\n  quizzes: [a, a]\n"
    assert one_problem(load(tmp_path, {"a.yml": SPEC_EXAMPLE, "tracks.yml": tracks}), "duplicate-item")


def test_track_unknown_key_and_missing_parts(tmp_path: Path) -> None:
    tracks = "t:\n  titel: T\n"
    book = load(tmp_path, {"tracks.yml": tracks})
    assert "did you mean `title`" in one_problem(book, "unknown-key").message
    assert sorted(p.code for p in book.problems) == ["missing-key", "missing-key", "unknown-key"]


def test_track_id_must_fit_in_an_address(tmp_path: Path) -> None:
    book = load(tmp_path, {"a.yml": SPEC_EXAMPLE, "tracks.yml": "new starter:\n  title: T\n  quizzes: [a]\n"})
    assert one_problem(book, "invalid-track-id").line == 1 and book.tracks == {}


def test_tracks_file_must_be_a_mapping(tmp_path: Path) -> None:
    book = load(tmp_path, {"tracks.yml": "- a\n"})
    assert "maps each track id" in one_problem(book, "wrong-type").message


def test_load_hub_reports_quiz_problems(tmp_path: Path) -> None:
    from sop_hub.core.hub import load_hub
    from sop_hub.core.review import ReviewSettings, parse_date, parse_interval

    load(tmp_path, {"q.yml": quiz_with("question: Q?\nanswer: maybe")})
    settings = ReviewSettings(
        as_of=parse_date("2026-06-15"),
        due_soon=parse_interval("30 days"),
        procedure_interval=parse_interval("3 months"),
        process_interval=parse_interval("12 months"),
    )
    hub = load_hub([], root=tmp_path, quizzes_dir=tmp_path / "quizzes", settings=settings)
    assert [p.code for p in hub.problems] == ["invalid-answer"]


# -- nothing silently dropped (issue 7) -----------------------------------------------------------


@pytest.mark.parametrize("answer", ["''", '""', "", "[''] ", '[""]', "[' ']"])
def test_empty_answer_on_a_choices_question_is_an_error_with_its_line(tmp_path: Path, answer: str) -> None:
    text = f"title: T\nquestions:\n  - question: Q?\n    choices: [Yes, No]\n    answer: {answer}\n"
    book = load(tmp_path, {"q.yml": text})
    assert book.quizzes["q"].questions == [] and not book.quizzes["q"].valid
    errors = [p for p in book.problems if p.severity is Severity.ERROR]
    assert len(errors) == 1, book.problems
    assert (errors[0].path, errors[0].line) == ("quizzes/q.yml", 5)
    assert "empty" in errors[0].message
    if answer.strip() in ("''", '""', ""):
        assert errors[0].code == "missing-answer" and errors[0].message.endswith("e.g. `answer: Yes`")


MALFORMED = [
    "question: Q?\n  choices: [A, B]\n  answer: ''",
    "question: Q?\n  choices: [A, B]\n  answer:",
    "question: Q?\n  choices: [A, B]\n  answer: ['']",
    "question: Q?\n  choices: [A, B]\n  answer: []",
    "question: Q?\n  choices: [A, B]\n  answer: {a: 1}",
    "question: Q?\n  choices: [A, B]\n  answer: [[A]]",
    "question: Q?\n  choices: [A, B]\n  answer: C",
    "question: Q?\n  choices: []\n  answer: ''",
    "question: Q?\n  choices: [A]\n  answer: A",
    "question: Q?\n  choices: [A, '']\n  answer: A",
    "question: Q?\n  choices: [A, ~]\n  answer: A",
    "question: Q?\n  choices: [A, [B]]\n  answer: A",
    "question: Q?\n  choices: [A, {text: ''}]\n  answer: A",
    "question: Q?\n  choices: [A, {feedback: x}]\n  answer: A",
    "question: Q?\n  choices: [A, {text: B, feedback: [x]}]\n  answer: A",
    "question: Q?\n  choices: [A, A]\n  answer: A",
    "question: Q?\n  choices: A, B\n  answer: A",
    "question: Q?\n  choices: [A, B]",
    "question: Q?\n  answer: ''",
    "question: Q?\n  answer: maybe",
    "question: Q?\n  answer: [true]",
    "question: Q?\n  order: []",
    "question: Q?\n  order: [A]",
    "question: Q?\n  order: [A, '']",
    "question: Q?\n  order: [A, A]",
    "question: Q?\n  order: A",
    "question: Q?\n  order: [A, {x: 1}]",
    "question: Q?\n  accept: ''",
    "question: Q?\n  accept: []",
    "question: Q?\n  accept:",
    "question: Q?\n  accept: [{a: 1}]",
    "question: Q?\n  accept: {a: 1}",
    "question: Q?",
    "question: ''\n  answer: true",
    "question:\n  answer: true",
    "question: [Q]\n  answer: true",
    "question: Q?\n  answer: true\n  explanation: [x]",
    "question: Q?\n  answer: true\n  explanaton: x",
    "question: Q?\n  order: [A, B]\n  accept: A",
    "answer: true",
    "''",
    "[a, b]",
    "~",
]


def test_every_dropped_question_has_an_error_within_its_own_lines(tmp_path: Path) -> None:
    # One file: a good question after each malformed one, so each malformed one has a line span.
    good = "question: Fine?\n  answer: true"
    items = [text for bad in MALFORMED for text in (bad, good)]
    body = "".join(f"  - {textwrap.indent(text, '  ').lstrip()}\n" for text in items)
    book = load(tmp_path, {"q.yml": f"title: T\nquestions:\n{body}"})
    quiz = book.quizzes["q"]
    assert [q.text for q in quiz.questions] == ["Fine?"] * len(MALFORMED)  # only the bad ones dropped
    starts = [3 + sum(text.count("\n") + 1 for text in items[:index]) for index in range(len(items))]
    error_lines = [p.line for p in book.problems if p.severity is Severity.ERROR]
    for number, bad in enumerate(MALFORMED):
        first, end = starts[2 * number], starts[2 * number + 1]
        assert any(first <= line < end for line in error_lines), (bad, first, book.problems)
    kept = {q.line for q in quiz.questions}
    assert not kept & set(error_lines)  # the good questions have no problem


def test_track_with_no_quizzes_is_a_warning_on_its_line(tmp_path: Path) -> None:
    tracks = "empty:\n  title: Empty\n  quizzes: []\nghost:\n  title: Ghost\n  quizzes: [nope]\n"
    book = load(tmp_path, {"a.yml": SPEC_EXAMPLE, "tracks.yml": tracks})
    warnings = [p for p in book.problems if p.code == "empty-track"]
    assert [(p.path, p.line, p.severity) for p in warnings] == [
        ("quizzes/tracks.yml", 3, Severity.WARNING),
        ("quizzes/tracks.yml", 6, Severity.WARNING),
    ]
    assert "track `empty` has no quizzes to take" in warnings[0].message
    assert warnings[0].message.endswith("e.g. `quizzes: [a]`")
    assert "that exist" in warnings[1].message
    assert book.tracks["empty"].quizzes == [] and book.tracks["ghost"].quizzes == []


@pytest.mark.parametrize(
    ("accepted", "typed"),
    [
        ("Hauptstraße", "HAUPTSTRASSE"),
        ("Hauptstraße", "hauptstrasse"),
        ("ΟΔΟΣ", "οδος"),
        ("ΟΔΟΣ", "οδοσ"),
        ("ﬁle", "file"),
        ("Ｆ－１２", "F-12"),
        ("F-12", "ｆ－１２"),
        ("Cafe\u0301", "CAFÉ"),
        ("two  words", "\u3000two\u00a0 words "),
    ],
)
def test_typed_answers_fold_unicode_case_and_width(accepted: str, typed: str) -> None:
    assert normalise_answer(typed) == normalise_answer(accepted)


def test_typed_answers_still_differ_when_they_differ() -> None:
    assert normalise_answer("F-12") != normalise_answer("F-13")
    assert normalise_answer("straße") != normalise_answer("strase")
