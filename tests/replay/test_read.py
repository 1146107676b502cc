"""Reading exports: encodings, delimiters, and rows that cannot be read (reported, never
dropped, and never stopping the rows after them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from diagnose import InputError
from diagnose._replay.read import TicketSource, detect_encoding

HEADER = "工单号,故障描述\n"


def _rows(path: Path, **options) -> list:
    source = TicketSource(path, **options)
    try:
        return list(source)
    finally:
        source.close()


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_the_encoding_is_detected(tmp_path, encoding, expected) -> None:
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "T1,宽带拨号提示691欠费停机\nT2,手机营业厅登不上\n", encoding=encoding)
    source = TicketSource(path)
    assert source.encoding == expected
    assert source.columns == ["工单号", "故障描述"]
    assert [row.fields for row in source] == [
        {"工单号": "T1", "故障描述": "宽带拨号提示691欠费停机"},
        {"工单号": "T2", "故障描述": "手机营业厅登不上"},
    ]
    source.close()


def test_a_stray_bad_byte_in_utf8_is_one_bad_row_not_a_gbk_file(tmp_path) -> None:
    path = tmp_path / "t.csv"
    good = "T{},宽带拨号显示错误678\n"
    data = (HEADER + good.format(1)).encode() + b"T2,\xff\xfe bad\n" + good.format(3).encode()
    path.write_bytes(data)
    rows = _rows(path)
    assert TicketSource(path).encoding == "utf-8"
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[1].problem is not None and rows[1].problem.kind == "encoding"
    assert "column '故障描述'" in rows[1].problem.message
    assert rows[2].fields == {"工单号": "T3", "故障描述": "宽带拨号显示错误678"}


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_sniffed(tmp_path, delimiter) -> None:
    path = tmp_path / "t.csv"
    lines = ["id", "text", "error_code"], ["A1", "上不了网", "678"], ["A2", "忘记密码", ""]
    path.write_text("\n".join(delimiter.join(line) for line in lines) + "\n", encoding="utf-8")
    rows = _rows(path)
    assert [r.fields for r in rows] == [
        {"id": "A1", "text": "上不了网", "error_code": "678"},
        {"id": "A2", "text": "忘记密码", "error_code": ""},
    ]


def test_every_broken_row_is_reported_in_place(tmp_path) -> None:
    path = tmp_path / "t.csv"
    huge = "x" * 200_000
    path.write_text(HEADER + "T1,ok\n\nT3\nT4,a,b\nT5," + huge + "\nT6,ok\n", encoding="utf-8")
    rows = _rows(path)
    kinds = [(r.number, r.problem.kind if r.problem else "ok") for r in rows]
    assert kinds == [(1, "ok"), (2, "empty"), (3, "columns"), (4, "columns"),
                     (5, "too_large"), (6, "ok")]  # fmt: skip
    assert rows[2].problem.message == "1 fields where the header has 2"


def test_jsonl_rows_and_broken_lines(tmp_path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(
        '{"id": "J1", "text": "错误691"}\n\n[1, 2]\n{"id": \n'.encode()
        + b'{"id": "J5", "text": "\xff"}\n'
        + b'{"id": "J6", "code": 678}\n'
    )
    rows = _rows(path)
    kinds = [r.problem.kind if r.problem else "ok" for r in rows]
    assert kinds == ["ok", "empty", "json", "json", "encoding", "ok"]
    assert rows[5].fields == {"id": "J6", "code": 678}


def test_an_empty_or_unreadable_file_is_a_clear_error(tmp_path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is empty: a CSV export needs a header row"):
        TicketSource(empty)
    with pytest.raises(InputError, match="unknown encoding 'klingon'"):
        TicketSource(empty, encoding="klingon")
    with pytest.raises(InputError, match="cannot read"):
        TicketSource(tmp_path / "missing.csv")


def test_detect_encoding_on_samples() -> None:
    assert detect_encoding("故障".encode("gbk") * 10) == "gb18030"
    assert detect_encoding(b"\xef\xbb\xbfid,text\n") == "utf-8-sig"
    assert detect_encoding(b"id,text\n1,abc\n") == "utf-8"
