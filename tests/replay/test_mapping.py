"""Column mapping: export columns to ticket fields, facts and recorded outcomes."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnose import MappingError
from diagnose._replay.mapping import Mapper, parse_time


@pytest.fixture
def knowledge(kb):
    return kb  # a mapping reads the knowledge base's facts, carriers, targets and text reader


def test_map_pairs_and_identity_columns(knowledge) -> None:
    mapper = Mapper(knowledge, ("text=故障描述", "carrier=运营商"))
    mapper.resolve(["故障描述", "运营商", "id", "modem_restarted"])
    row = mapper.map({"故障描述": " 错误678 ", "运营商": "中国电信", "id": "T9",
                      "modem_restarted": "是"})  # fmt: skip
    assert row.problem is None
    assert (row.id, row.text, row.carrier) == ("T9", "错误678", "telecom")
    assert row.facts == {"modem_restarted": True}


def test_a_mapping_file_with_values(tmp_path, knowledge) -> None:
    file = tmp_path / "map.toml"
    file.write_text('[columns]\ncarrier = "运营商"\nrecorded_target = "转派"\n'
                    '[values.carrier]\n"联通宽带" = "unicom"\n', encoding="utf-8")  # fmt: skip
    mapper = Mapper(knowledge, (), file)
    mapper.resolve(["运营商", "转派"])
    row = mapper.map({"运营商": "联通宽带", "转派": "合作营业厅"})
    assert (row.carrier, row.recorded_target) == ("unicom", "partner_hall")
    assert mapper.map({"运营商": "10086", "转派": "无"}).carrier == "mobile"
    assert mapper.map({"运营商": "10086", "转派": "无"}).recorded_target == "none"


def test_every_mapping_mistake_is_listed(tmp_path, knowledge) -> None:
    with pytest.raises(MappingError) as caught:
        Mapper(knowledge, ("colour=颜色", "text", "problem=问题"))
    problems = caught.value.problems
    assert len(problems) == 3
    assert problems[0] == "--map text: write it as FIELD=COLUMN, e.g. text=故障描述"
    assert problems[1].startswith("unknown field 'colour' (fields: id, text, error_code")
    assert caught.value.exit_code == 2


def test_a_mapped_column_missing_from_the_export(knowledge) -> None:
    mapper = Mapper(knowledge, ("text=描述",))
    with pytest.raises(MappingError, match="no column '描述' for text in the export"):
        mapper.resolve(["工单号", "故障描述"])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("carrier", "铁通", "carrier (column 'carrier'): '铁通' is not a carrier"),
        ("reported_at", "三月一日", "reported_at (column 'reported_at'): '三月一日' is not a date"),
        ("error_code", "abc", "error_code (column 'error_code'): 'abc' is not an error code"),
        ("account_status", "破产", "account_status (column 'account_status'): '破产' is not one of"),
        ("modem_restarted", "也许", "modem_restarted (column 'modem_restarted'): expected yes or no"),
    ],
)  # fmt: skip
def test_a_bad_cell_is_a_row_problem_naming_the_column(knowledge, column, value, message) -> None:
    mapper = Mapper(knowledge)
    mapper.resolve(["id", column])
    row = mapper.map({"id": "T1", column: value})
    assert row.problem is not None and row.problem.kind == "bad_field"
    assert row.problem.message.startswith(message), row.problem.message
    assert row.id == "T1"  # kept for the error row


def test_labels_and_codes_in_their_own_column(knowledge) -> None:
    mapper = Mapper(knowledge)
    mapper.resolve(["account_status", "error_code"])
    row = mapper.map({"account_status": "欠费", "error_code": "691.0"})
    assert (row.facts, row.error_code) == ({"account_status": "arrears"}, 691)
    assert mapper.map({"account_status": "", "error_code": "错误678"}).error_code == 678


@pytest.mark.parametrize(
    "text",
    ["2024-03-01 08:15:00", "2024/3/1 8:15", "2024-03-01T08:15", "2024年3月1日 8时15分",
     "2024-03-01 08:15:00.123", "2024-03-01T08:15:00+08:00"],
)  # fmt: skip
def test_times_as_exports_write_them(text) -> None:
    assert parse_time(text).replace(second=0) == datetime(2024, 3, 1, 8, 15)


@settings(max_examples=300, deadline=None)
@given(st.one_of(
    st.text(alphabet="0123456789-: T+年月日时分秒./", min_size=15, max_size=22),
    # the shape the quick reading takes: all of it, out-of-range fields too
    st.from_regex(r"\A\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\Z"),
))  # fmt: skip
def test_a_time_reads_the_same_however_it_is_read(text) -> None:
    """The quick reading of 'YYYY-MM-DD HH:MM:SS' agrees with the general one, and what
    neither reads is an error either way."""
    from diagnose._replay import mapping

    try:
        quick = parse_time(text)
    except ValueError:
        quick = None
    match = mapping._TIME.match(text)  # noqa: SLF001
    if match is None:
        assert quick is None
        return
    year, month, day, hour, minute, second = match.groups()
    try:
        general = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0),
                           int(float(second or 0)))  # fmt: skip
    except ValueError:
        general = None
    assert quick == general
    assert quick is None or quick.tzinfo is None


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_an_export_time_reads_back(when) -> None:
    written = when.replace(microsecond=0)
    assert parse_time(written.strftime("%Y-%m-%d %H:%M:%S")) == written
