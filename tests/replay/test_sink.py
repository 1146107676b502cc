"""Where replay rows go: OUT.partial while writing, OUT once complete; a partial output is
resumed from its last complete row, and only for the same input, options and knowledge."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnose import OutputError
from diagnose._replay import Sink, partial_rows

RECORD = {"input": "in.csv", "options": 1}


def row(number: int) -> str:
    return f'{{"row": {number}, "id": "T{number}", "diagnosis": {{}}}}\n'


def test_a_finished_output_replaces_its_partial_file(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    sink = Sink(out, "jsonl")
    sink.start(RECORD)
    sink.write([row(1), row(2)])
    assert sink.partial.exists() and not out.exists()
    sink.finish()
    assert out.read_text(encoding="utf-8") == row(1) + row(2)
    assert not sink.partial.exists() and not sink.record.exists()


def test_resume_keeps_the_complete_rows_and_drops_a_cut_one(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    sink = Sink(out, "jsonl")
    sink.start(RECORD)
    sink.write([row(1), row(2), row(3)[:10]])  # a crash in the middle of row 3
    sink.abandon()
    again = Sink(out, "jsonl")
    assert again.resume(RECORD) == [row(1), row(2)]
    again.write([row(3)])
    again.finish()
    assert out.read_text(encoding="utf-8") == row(1) + row(2) + row(3)


def test_resume_refuses_another_input_or_nothing_to_resume(tmp_path) -> None:
    out = tmp_path / "out.jsonl"
    with pytest.raises(OutputError, match="nothing to resume"):
        Sink(out, "jsonl").resume(RECORD)
    sink = Sink(out, "jsonl")
    sink.start(RECORD)
    sink.abandon()
    with pytest.raises(OutputError, match="written for another input, options or knowledge"):
        Sink(out, "jsonl").resume({**RECORD, "options": 2})


def test_rows_out_of_order_end_the_complete_part(tmp_path) -> None:
    path = tmp_path / "out.csv.partial"
    path.write_text("row,id\n1,A\n2,B\n4,D\n", encoding="utf-8")
    rows, kept = partial_rows(path, "csv", header=True)
    assert rows == ["1,A\n", "2,B\n"] and kept == len("row,id\n1,A\n2,B\n")


def test_standard_output_gets_the_header_and_rows(tmp_path) -> None:
    stream = io.StringIO()
    sink = Sink(None, "csv", stream=stream, header="row,id\n")
    sink.start(RECORD)
    sink.write(["1,A\n"])
    sink.finish()
    assert stream.getvalue() == "row,id\n1,A\n" and sink.written == 1
    with pytest.raises(OutputError, match="--resume needs --out"):
        Sink(None, "csv", stream=stream).resume(RECORD)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.none(), st.text(), st.text(alphabet=st.characters(max_codepoint=127))))
def test_an_id_is_written_as_json_writes_it(row_id) -> None:
    """However an export's id is written (quotes, backslashes, control characters,
    Chinese), its row carries it as the JSON library writes it."""
    from diagnose._replay.rows import _json_text

    assert _json_text(row_id) == json.dumps(row_id, ensure_ascii=False)
    assert json.loads(_json_text(row_id)) == row_id
