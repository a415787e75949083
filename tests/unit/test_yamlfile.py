"""User YAML files are read safely: lines for messages, no Python objects, no alias bombs."""

from __future__ import annotations

import pytest

from kb.yamlfile import MAX_ALIASES, YamlSyntaxError, parse_yaml


def test_each_list_entry_keeps_its_line() -> None:
    parsed = parse_yaml("# comment\n- a: 1\n\n- b: 2\n  c: 3\n- x\n")
    assert parsed.data == [{"a": 1}, {"b": 2, "c": 3}, "x"]
    assert parsed.item_lines() == [2, 4, 6]


def test_a_mapping_or_nothing_has_no_lines() -> None:
    assert parse_yaml("a: 1\n").item_lines() == []
    assert parse_yaml("documents:\n  - file: a\n  - file: b\n").item_lines("documents") == [2, 3]
    assert parse_yaml("").data is None


def test_syntax_errors_name_line_and_column() -> None:
    with pytest.raises(YamlSyntaxError, match=r"line 2, column 7"):
        parse_yaml("- a: 1\n- b: c: d\n")


def test_python_objects_are_refused() -> None:
    with pytest.raises(YamlSyntaxError):
        parse_yaml("!!python/object/apply:os.system ['true']\n")


def test_an_alias_bomb_is_refused_before_it_expands() -> None:
    # Nine levels of nine aliases: 9**9 strings once walked, from a few hundred bytes.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{','.join(['*' + prev] * 9)}]")
    text = "\n".join(lines) + "\n"
    assert len(text) < 700
    with pytest.raises(YamlSyntaxError, match=f"more than {MAX_ALIASES} aliases"):
        parse_yaml(text)
    # A few aliases are fine.
    assert parse_yaml("a: &x 1\nb: *x\n").data == {"a": 1, "b": 1}
