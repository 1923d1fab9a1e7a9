"""The YAML loader shared by front-matter and quiz files: line numbers, no YAML 1.1 surprises, no tracebacks."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from sop_hub.core import yamlfile


def loaded(text: str, first_line: int = 1) -> tuple[Any, yamlfile.Lines, list[yamlfile.Duplicate]]:
    result = yamlfile.load(text, first_line)
    assert not isinstance(result, yamlfile.YamlError), result
    return result


def error(text: str, first_line: int = 1) -> yamlfile.YamlError:
    result = yamlfile.load(text, first_line)
    assert isinstance(result, yamlfile.YamlError), result
    return result


def test_dates_stay_text_so_impossible_dates_can_be_reported() -> None:
    data, _, _ = loaded("a: 2026-02-30\nb: 2026-01-31\n")
    assert data == {"a": "2026-02-30", "b": "2026-01-31"}


@pytest.mark.parametrize("word", ["Yes", "No", "yes", "no", "on", "off", "Y", "N"])
def test_yes_and_no_stay_text(word: str) -> None:
    data, _, _ = loaded(f"a: {word}\n")
    assert data == {"a": word}


@pytest.mark.parametrize(("word", "value"), [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_only_true_and_false_are_booleans(word: str, value: bool) -> None:
    data, _, _ = loaded(f"a: {word}\n")
    assert data["a"] is value


def test_raw_text_of_a_number_is_kept() -> None:
    data, lines, _ = loaded("version: 2.10\n")
    assert data["version"] == 2.1
    assert lines.keys["version"].raw == "2.10"


def test_lines_point_at_keys_in_the_file() -> None:
    _, lines, _ = loaded("title: T\nstages:\n  - A\n  - id: b\n    title: B\n", first_line=2)
    assert lines.line == 2
    assert lines.keys["title"].line == 2
    assert lines.keys["stages"].line == 3
    assert lines.at("stages", 0) == 4
    assert lines.at("stages", 1, "title") == 6
    assert lines.at("stages", 7, "title") == 3  # the deepest node that exists
    assert lines.at("nothing") == 2


def test_a_value_on_the_next_line_is_reported_on_its_key() -> None:
    _, lines, _ = loaded("a: 1\nowner:\n  name: Jane\n")
    assert lines.keys["owner"].line == 2
    assert lines.at("owner", "name") == 3


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    data, _, duplicates = loaded("a: 1\nb: 2\na: 3\n", first_line=2)
    assert data["a"] == 3
    assert duplicates == [yamlfile.Duplicate("a", 4, 2)]


def test_empty_text_is_none() -> None:
    assert loaded("", 2)[0] is None
    assert loaded("# just a comment\n", 2)[0] is None


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ('a: 1\ntitle: "abc\nb: 2\n', 3, "quoted value is never closed"),
        ("a: 1\ntitle: 'abc\nb: 2\n", 3, "quoted value is never closed"),
        ("tags:\n  - a\n - b\n", 4, "line this up"),
        ("a: b\n  c: d\n", 3, "must be quoted"),
        ("title: Step: one\n", 2, "must be quoted"),
        ("a: 1\n\tb: 2\n", 3, "spaces, not tabs"),
        ("a:\n\t- x\n", 3, "spaces, not tabs"),
        ("a: [1, 2\nb: 3\n", 3, "close the `[`"),
        ("a: {x: 1\n", 2, "close the `{`"),
        ("a: !foo x\n", 2, "remove the `!tag`"),
        ("title: @home\n", 2, "must be quoted"),
        ("title: *bold*\n", 2, "must be quoted"),
        ('a: "C:\\q"\n', 2, "single quotes"),
        ("a: 1\nb: !!int abc\n", 3, "remove the `!!tag`"),
        ("a: 1\nb: !!timestamp 2026-02-30\n", 3, "remove the `!!tag`"),
        ("a: 1\n---\nb: 2\n", 3, "document"),
    ],
)
def test_broken_yaml_is_an_error_on_the_line_to_fix(text: str, line: int, hint: str) -> None:
    result = error(text, first_line=2)
    assert result.line == line
    assert hint in result.message


def test_recursive_and_exponential_aliases_do_not_hang_or_crash() -> None:
    data, lines, _ = loaded("a: &x [1, *x]\n")
    assert data["a"][1] is data["a"]
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(8)
    )
    data, lines, _ = loaded(laughs)
    assert set(lines.keys) == set("abcdefghi")


def test_an_aliased_value_keeps_the_line_of_each_key() -> None:
    _, lines, _ = loaded("owner: &jane\n  name: Jane\nbackup_owner: *jane\n")
    assert lines.keys["owner"].line == 1
    assert lines.keys["backup_owner"].line == 3


def test_merge_keys_sets_and_other_tags_load_as_pyyaml_does() -> None:
    data, lines, _ = loaded("base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\ns: !!set {a, b}\nn: !!binary aGk=\n")
    assert data["m"] == {"x": 1, "y": 2}
    assert data["s"] == {"a", "b"}
    assert data["n"] == b"hi"
    assert lines.at("m", "y") == 4


def test_scalar_types_and_keys_match_pyyaml() -> None:
    text = "a: 1\nb: 1.5\nc: ~\nd: true\n1: x\n0x1F: hex\n~: n\n.inf: f\nv: 010\nw: 1_000\n"
    data, lines, _ = loaded(text)
    assert data == yaml.load(text, Loader=yamlfile._Loader)
    assert lines.keys["1"].line == 5


def test_fast_and_exact_loading_agree_on_random_documents() -> None:
    rng = random.Random(7)
    atoms = ["a", "1", "-2", "0o7", "1.5", "~", "true", "No", "2026-02-30", "'q'", '"d"', "[x, 1]", "{k: v}", "*x"]
    for _ in range(500):
        body = "".join(
            f"{rng.choice(['k1', 'k2', 'k3', '4'])}: {rng.choice(atoms)}\n" for _ in range(rng.randrange(1, 6))
        )
        text = f"anchor: &x [1, {{y: 2}}]\n{body}"
        data, _, _ = loaded(text)
        assert data == yaml.load(text, Loader=yamlfile._Loader), text
