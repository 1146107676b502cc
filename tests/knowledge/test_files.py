"""Finding the line of each table, entry, key and array element of a TOML file, so that a
problem is shown where the knowledge editor wrote it."""

from __future__ import annotations

from diagnose._knowledge import Unreadable, read_toml
from diagnose._knowledge.files import Lines

TEXT = """\
# a comment
[settings]
default_carrier = "unicom"
area_problems = [
  "broadband.no_response",
  # a comment inside
  "broadband.auth_failed",
]

[problems."broadband.no_response"]
zh = "接入服务器"

[[rule]]
id = "a"
when = [{ fact = "x", op = "present" }]

[[rule]]
id = "b"
when = [
  { fact = "x", op = "present" },
  { fact = "y", op = "equals", value = "[not a bracket]" },
]
then = { status = "self_service" }
"""


def test_tables_keys_entries_and_elements() -> None:
    lines = Lines.scan(TEXT)
    assert lines.line("settings") == 2
    assert lines.line("settings", "default_carrier") == 3
    assert lines.line("settings", "area_problems", 1) == 7
    assert lines.line("problems", "broadband.no_response", "zh") == 11
    assert lines.line("rule", 0) == 13 and lines.line("rule", 1) == 17
    assert lines.line("rule", 1, "when", 1, "value") == 21  # the element's line
    assert lines.line("rule", 1, "then") == 23
    assert lines.line("rule", 0, "then", "status") == 13  # not written: the entry's line
    assert lines.line("nothing") is None


def test_a_file_that_does_not_read_says_why_and_where(tmp_path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[rule]\nid = "x"\n', encoding="utf-8")
    found = read_toml(broken)
    assert isinstance(found, Unreadable) and found.line == 1
    assert found.message.startswith("not valid TOML")
    gbk = tmp_path / "gbk.toml"
    gbk.write_bytes('zh = "欠费"\n'.encode("gbk"))
    assert read_toml(gbk) == Unreadable("not UTF-8 text; save the file as UTF-8")


TRICKY = '''\
[wording."a"]
zh = "say \\"[\\" now"
en = """
[facts.y]
type = "int"
"""
source.doc = "seed000"

[[rule]]
id = "r"
when = [
  { fact = "x", op = "present" },
]
[[rule.example]]
given = {}
[[rule.example]]
given = { x = 1 }

[[rule]]
id = "s"
[[rule.example]]
given = {}
'''


def test_strings_dotted_keys_and_nested_arrays_of_tables() -> None:
    lines = Lines.scan(TRICKY)
    assert lines.line("wording", "a", "en") == 3
    assert ("facts", "y") not in lines.found  # inside a multi-line string
    assert lines.line("wording", "a", "source", "doc") == 7
    assert lines.line("rule", 0, "when", 0) == 12
    assert lines.line("rule", 0, "example", 1, "given") == 17
    assert lines.line("rule", 1, "example", 0) == 21
