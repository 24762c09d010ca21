from __future__ import annotations

import json

import pytest

from vidaudit.jsonpos import Locator, escape_token, split_pointer

DOCUMENT = """{
  "a/b": {"x~y": [10, 20.0, {"k": "v:\\"w\\""}]},
  "ünï": [ "ä" ,  {"deep": [[], {}]}],
  "dup": 1,
  "dup": 2
}"""


def at(locator: Locator, pointer: str, occurrence: int | None = None) -> str:
    span = locator.span(pointer, occurrence)
    assert span is not None, pointer
    value, _ = json.JSONDecoder().raw_decode(locator.text, span.value)
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("pointer, expected", [
    ("/a~1b/x~0y/0", "10"),
    ("/a~1b/x~0y/1", "20.0"),
    ("/a~1b/x~0y/2/k", '"v:\\"w\\""'),
    ("/ünï/0", '"ä"'),
    ("/ünï/1/deep/1", "{}"),
    ("/dup", "2"),  # a repeated key: the value parsers keep (the last)
])
def test_pointer_resolves_to_its_value(pointer: str, expected: str) -> None:
    assert at(Locator(DOCUMENT), pointer) == expected


def test_repeated_key_occurrences_and_key_offsets() -> None:
    locator = Locator(DOCUMENT)
    assert at(locator, "/dup", 0) == "1"
    assert at(locator, "/dup", 1) == "2"
    span = locator.span("/dup", 1)
    assert span is not None and span.key is not None
    assert DOCUMENT[span.key:].startswith('"dup": 2')


def test_unresolvable_pointers_fall_back_to_nearest_ancestor() -> None:
    locator = Locator(DOCUMENT)
    assert locator.span("/nope") is None
    assert locator.span("/a~1b/x~0y/9") is None
    assert locator.nearest("/a~1b/x~0y/9/z")[0] == "/a~1b/x~0y"


def test_line_and_column_count_characters_not_bytes() -> None:
    locator = Locator(DOCUMENT)
    span = locator.span("/ünï/1")
    assert span is not None
    line, column = locator.line_column(span.value)
    assert (line, column) == (3, DOCUMENT.split("\n")[2].index("{") + 1)


def test_pointer_escaping_round_trips() -> None:
    assert split_pointer("/" + escape_token("a/~b")) == ["a/~b"]
    with pytest.raises(ValueError):
        split_pointer("no-slash")


def test_the_index_answers_none_for_a_text_that_is_no_pointer() -> None:
    """A pointer without its leading "/" names nothing in the vectorised index (it used to
    search backwards for a "/" forever)."""
    from vidaudit.jsonindex import VectorIndex

    text = '{"a": {"b": [1, 2]}, "nope": 3}'
    index = VectorIndex.build(text, json.loads(text))
    assert index is not None
    assert index.locate("nope") is None and index.locate("a/b") is None
    assert index.locate("/a/b/1") == (text.index("2"), -1)
