"""Replaying exports: one output row per input row, in order, whatever the rows hold;
atomic output; resume after a kill; the shipped examples; frequencies written back."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import diagnose
from diagnose._cli import cli
from diagnose._knowledge.load import default_dirs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "benchmarks"))
from tickets import write_csv  # noqa: E402

RULES, KNOWLEDGE = default_dirs()
MAP = ["--mapping", str(EXAMPLES / "mapping.toml")]
CSV_MAP = [
    "--map", "id=工单号", "--map", "reported_at=受理时间", "--map", "area=区域",
    "--map", "carrier=运营商", "--map", "text=故障描述", "--map", "error_code=错误代码",
    "--map", "recorded_target=转派对象", "--map", "resolved=是否解决",
]  # fmt: skip
JSONL_MAP = [
    "--map", "id=ticket_no", "--map", "reported_at=created", "--map", "area=district",
    "--map", "carrier=carrier", "--map", "text=description", "--map", "error_code=code",
    "--map", "recorded_target=handled_by", "--map", "resolved=resolved",
]  # fmt: skip


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


@pytest.mark.parametrize(
    ("name", "options"),
    [("tickets.csv", MAP), ("tickets.csv", CSV_MAP), ("tickets.jsonl", JSONL_MAP)],
)
def test_the_shipped_examples_replay(runner, tmp_path, name, options) -> None:
    out, html, report = tmp_path / "out.jsonl", tmp_path / "r.html", tmp_path / "r.json"
    args = ["replay", str(EXAMPLES / name), *options, "--out", str(out), "--report", str(html),
            "--report", str(report)]  # fmt: skip
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    source_rows = _count_lines(EXAMPLES / name) - (1 if name.endswith(".csv") else 0)
    rows = _rows(out)
    assert [row["row"] for row in rows] == list(range(1, source_rows + 1))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["rows"] == source_rows
    errors = sum(data["errors"].values())
    assert errors == sum(1 for row in rows if "error" in row)
    first = result.output.splitlines()[0]
    assert first == (f"rows in: {source_rows:,}  rows out: {source_rows:,}  diagnosed: "
                     f"{source_rows - errors:,}  errors: {errors:,}")  # fmt: skip
    assert data["area_incidents"]  # the examples hold an area-wide 734 burst
    assert any(i["problem"] == "broadband.connection_broken" for i in data["area_incidents"])
    assert "<svg id='pareto'" in html.read_text(encoding="utf-8")
    assert not list(tmp_path.glob("*.partial*"))


def test_each_row_is_what_the_api_says_of_that_ticket(runner, tmp_path, kb) -> None:
    tickets = [
        {"id": "A1", "text": "宽带拨号提示691,欠费停机", "carrier": "unicom"},
        {"id": "A2", "text": "显示 678 错误 猫重启过了", "error_code": 678},
        {"id": "A3", "text": "手机营业厅登不上,初始密码登录不了", "carrier": "mobile"},
        {"id": "A4", "text": "客户咨询话费"},
        {"id": "A5", "text": "上不了网 没有显示错误代码 有路由器", "carrier": "telecom"},
    ]
    source, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    source.write_text("".join(json.dumps(t, ensure_ascii=False) + "\n" for t in tickets),
                      encoding="utf-8")  # fmt: skip
    assert runner.invoke(cli, ["replay", str(source), "--out", str(out)]).exit_code == 0
    for ticket, row in zip(tickets, _rows(out), strict=True):
        assert row["id"] == ticket["id"]
        assert row["diagnosis"] == kb.diagnose(ticket).model_dump(mode="json")


# -- every input row gives one output row --------------------------------------------------

_good = st.sampled_from([
    "宽带拨号提示691", "错误代码:678 猫重启过了", "显示 651 错误", "欠费停机 691", "有路由器 上不了网",
    "手机营业厅登不上", "初始密码登录不了", "忘记密码", "error 734", "", "客户咨询话费",
])  # fmt: skip
_cell = st.one_of(_good, st.text(max_size=30), st.sampled_from(["678", "99999", "x", "是"]))
_record = st.one_of(
    st.tuples(_cell, _cell, _cell).map(lambda t: ("ok", list(t))),
    st.just(("empty", [])),
    st.lists(_cell, min_size=1, max_size=5).map(lambda t: ("fields", t)),
    st.just(("huge", ["T", "x" * 140_000, ""])),
    st.just(("bytes", None)),
)


def _csv_bytes(records: list) -> bytes:
    import csv
    import io

    out = io.BytesIO()
    out.write(b"id,text,error_code\n")
    for kind, fields in records:
        if kind == "bytes":
            out.write(b"B1,\xff\xfe\xfd bad bytes,678\n")
            continue
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow(fields)
        text = line.getvalue()
        # a record is one line here: a cell's own line breaks become spaces
        out.write((" ".join(text[:-1].splitlines()) + "\n").encode("utf-8"))
    return out.getvalue()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])  # fmt: skip
@given(st.lists(_record, max_size=30))
def test_every_input_row_yields_exactly_one_output_row(runner, tmp_path_factory, records) -> None:
    folder = tmp_path_factory.mktemp("rows")
    source, out = folder / "in.csv", folder / "out.jsonl"
    source.write_bytes(_csv_bytes(records))
    result = runner.invoke(cli, ["replay", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert [row["row"] for row in rows] == list(range(1, len(records) + 1))
    for (kind, _), row in zip(records, rows, strict=True):
        if kind in ("empty", "huge", "bytes"):
            assert row["error"]["kind"] == {"empty": "empty", "huge": "too_large",
                                            "bytes": "encoding"}[kind]  # fmt: skip
        assert ("error" in row) != ("diagnosis" in row)
    assert f"rows in: {len(records):,}  rows out: {len(records):,}" in result.output


def test_jsonl_in_csv_out(runner, tmp_path) -> None:
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["replay", str(EXAMPLES / "tickets.jsonl"), *JSONL_MAP,
                                 "--out", str(out), "--carrier", "mobile"])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("row,id,status,problem,cause,next_step,escalate")
    assert len(lines) == _count_lines(EXAMPLES / "tickets.jsonl") + 1


def test_rows_without_a_carrier_take_the_given_one(runner, tmp_path) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_text("id,text,carrier\nA,客户要重置服务密码,\nB,客户要重置服务密码,电信\n",
                      encoding="utf-8")  # fmt: skip
    assert runner.invoke(cli, ["replay", str(source), "--out", str(out),
                               "--carrier", "mobile"]).exit_code == 0  # fmt: skip
    carriers = [row["diagnosis"]["carrier"] for row in _rows(out)]
    assert carriers == ["mobile", "telecom"]


def test_a_text_that_decides_no_problem_is_one_unknown_row_with_what_was_read(
    runner, tmp_path
) -> None:
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_text(
        "id,text\nA,客户家里没有路由器 光猫没重启过\nB,客户来电咨询\n", encoding="utf-8"
    )
    assert runner.invoke(cli, ["replay", str(source), "--out", str(out)]).exit_code == 0
    first, second = _rows(out)
    assert (first["diagnosis"]["status"], second["diagnosis"]["status"]) == ("need_info",) * 2
    assert first["diagnosis"]["problem"] == "unknown"
    read = first["diagnosis"]["extracted"]
    assert (read["router_present"]["value"], read["modem_restarted"]["value"]) == (False, False)
    assert read["modem_restarted"]["phrase"] == "猫没重启"
    assert second["diagnosis"]["extracted"] == {}


def test_more_workers_give_the_same_output(runner, tmp_path) -> None:
    source = tmp_path / "in.csv"
    write_csv(source, 3000)
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    for out, workers in ((one, "1"), (two, "2")):
        result = runner.invoke(cli, ["replay", str(source), *MAP, "--out", str(out),
                                     "--workers", workers])  # fmt: skip
        assert result.exit_code == 0, result.output
    assert one.read_bytes() == two.read_bytes()


# -- atomic output and resume ------------------------------------------------------------------


def _crash_state(
    source: Path, out: Path, full: bytes, rows: int, extra: int, compact: bool = False
) -> None:
    """What a crash after ``rows`` rows (and ``extra`` bytes of the next) leaves behind."""
    kind = "csv" if out.suffix == ".csv" else "compact" if compact else "jsonl"
    from diagnose._replay.mapping import Mapper
    from diagnose._replay.read import TicketSource
    from diagnose._replay.run import fingerprint

    base = diagnose.load()
    ticket_source = TicketSource(source)
    mapper = Mapper(base, (), EXAMPLES / "mapping.toml")
    mapper.resolve(ticket_source.columns)
    ticket_source.close()
    record = fingerprint(base, ticket_source, mapper, carrier=None, out_kind=kind)
    out.with_name(out.name + ".partial.json").write_text(json.dumps(record), encoding="utf-8")
    header = 1 if kind == "csv" else 0
    cut = sum(len(line) for line in full.splitlines(keepends=True)[: rows + header]) + extra
    out.with_name(out.name + ".partial").write_bytes(full[:cut])


@pytest.mark.parametrize(("suffix", "mode"), [(".jsonl", []), (".csv", []),
                                             (".jsonl", ["--compact"])])  # fmt: skip
def test_resume_keeps_the_complete_rows_of_a_cut_partial_file(
    runner, tmp_path, suffix, mode
) -> None:
    source = tmp_path / "in.csv"
    write_csv(source, 2500)
    full, out = tmp_path / f"full{suffix}", tmp_path / f"out{suffix}"
    whole_report, resumed_report = tmp_path / "whole.json", tmp_path / "resumed.json"
    result = runner.invoke(cli, ["replay", str(source), *MAP, *mode, "--out", str(full),
                                 "--report", str(whole_report)])  # fmt: skip
    assert result.exit_code == 0
    _crash_state(source, out, full.read_bytes(), rows=1234, extra=40, compact=bool(mode))
    result = runner.invoke(cli, ["replay", str(source), *MAP, *mode, "--out", str(out),
                                 "--resume", "--report", str(resumed_report)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "(resumed after 1,234)" in result.output
    assert out.read_bytes() == full.read_bytes()
    assert json.loads(resumed_report.read_text("utf-8")) == json.loads(
        whole_report.read_text("utf-8")
    )


def test_resume_after_a_kill_gives_the_uninterrupted_output(tmp_path) -> None:
    source = tmp_path / "in.csv"
    write_csv(source, 60_000)
    full, out = tmp_path / "full.jsonl", tmp_path / "out.jsonl"
    command = [sys.executable, "-m", "diagnose", "replay", str(source), *MAP]
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    subprocess.run([*command, "--out", str(full)], check=True, env=env, capture_output=True)
    partial = out.with_name(out.name + ".partial")
    process = subprocess.Popen([*command, "--out", str(out)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if partial.exists() and partial.stat().st_size > 2_000_000:
            break
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not out.exists(), "the replay ended before it could be killed; use more rows"
    assert partial.exists()  # the incomplete output does not pass for a complete one
    done = subprocess.run([*command, "--out", str(out), "--resume"], env=env,
                          capture_output=True, text=True, encoding="utf-8")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "resumed after" in done.stdout
    assert out.read_bytes() == full.read_bytes()
    assert not partial.exists()


def test_resume_refuses_a_partial_output_of_other_options(runner, tmp_path) -> None:
    source = tmp_path / "in.csv"
    write_csv(source, 50)
    out = tmp_path / "out.jsonl"
    partial = out.with_name(out.name + ".partial")
    partial.write_text("", encoding="utf-8")
    out.with_name(out.name + ".partial.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(cli, ["replay", str(source), *MAP, "--out", str(out), "--resume"])
    assert result.exit_code == 2
    assert "was written for another input, options or knowledge" in result.output
    missing = runner.invoke(cli, ["replay", str(source), *MAP, "--out", str(tmp_path / "n.jsonl"),
                                  "--resume"])  # fmt: skip
    assert missing.exit_code == 2 and "nothing to resume" in missing.output


def test_bad_mapping_is_exit_2_before_any_row(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["replay", str(EXAMPLES / "tickets.csv"), "--map", "text=描述",
                                 "--out", str(tmp_path / "o.jsonl")])  # fmt: skip
    assert result.exit_code == 2
    assert result.output.startswith("Error: bad column mapping:\n  no column '描述' for text")
    assert not list(tmp_path.iterdir())


# -- frequencies -------------------------------------------------------------------------------


def test_update_frequencies_writes_the_counted_causes(runner, tmp_path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    report = tmp_path / "r.json"
    result = runner.invoke(cli, ["--knowledge", str(knowledge), "replay",
                                 str(EXAMPLES / "tickets.csv"), *MAP, "--out",
                                 str(tmp_path / "o.jsonl"), "--report", str(report),
                                 "--update-frequencies"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"updated {knowledge / 'frequencies.toml'}" in result.output
    counted = {c["cause"]: c["count"] for c in json.loads(report.read_text("utf-8"))["causes"]}
    loaded = diagnose.load(RULES, knowledge).knowledge
    assert {c: loaded.frequency(c) for c in counted} == counted
    assert all(loaded.frequency(c) == 0 for c in loaded.causes if c not in counted)
    text = (knowledge / "frequencies.toml").read_text(encoding="utf-8")
    assert text.startswith("# How often each cause occurs")  # the header is kept
    assert "No tickets counted yet" not in text


def _peak_mib(source: Path, out: Path) -> float:
    """Peak resident memory of a replay in its own process."""
    code = (
        "import resource, sys\n"
        "from diagnose._cli import main\n"
        f"sys.argv = ['diagnose', 'replay', {str(source)!r}, '--mapping', "
        f"{str(EXAMPLES / 'mapping.toml')!r}, '--out', {str(out)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)  # fmt: skip
    return int(done.stderr.strip().splitlines()[-1]) / 1024


def test_memory_stays_flat_however_many_rows(tmp_path) -> None:
    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    write_csv(small, 10_000)
    write_csv(large, 100_000)
    grown = _peak_mib(large, tmp_path / "l.jsonl") - _peak_mib(small, tmp_path / "s.jsonl")
    assert grown < 16, f"peak memory grew {grown:.1f} MiB from 10,000 to 100,000 rows"


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--report", "r.txt"], "Error: --report r.txt: name it .html or .json"),
        (["--report", "no/such/r.html"], "Error: --report no/such/r.html: the folder does not exist"),
        (["--out", "no/such/o.jsonl"], "Error: cannot write no/such/o.jsonl.partial: No such file"),
        (["--encoding", "klingon"], "Error: unknown encoding 'klingon'"),
        (["--compact", "--out", "o.csv"], "Error: --compact writes JSONL; name the output "
                                          ".jsonl, not o.csv"),
    ],
)  # fmt: skip
def test_output_and_input_mistakes_are_exit_2_without_traceback(
    runner, tmp_path, monkeypatch, option, message
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(cli, ["replay", str(EXAMPLES / "tickets.csv"), *MAP, *option])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(message), result.output
    assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_a_compact_row_says_what_the_whole_row_says(runner, tmp_path) -> None:
    """--compact keeps of each diagnosis its ids and values, the same as the whole row's,
    and its report is the same."""
    source = tmp_path / "in.csv"
    write_csv(source, 1500)
    whole, lean = tmp_path / "whole.jsonl", tmp_path / "lean.jsonl"
    reports = {}
    for out, mode in ((whole, []), (lean, ["--compact"])):
        report = tmp_path / f"{out.stem}.json"
        result = runner.invoke(cli, ["replay", str(source), *MAP, *mode, "--out", str(out),
                                     "--report", str(report)])  # fmt: skip
        assert result.exit_code == 0, result.output
        reports[out] = json.loads(report.read_text("utf-8"))
    assert reports[whole] == reports[lean]
    assert lean.stat().st_size < whole.stat().st_size / 3
    for full, compact in zip(_rows(whole), _rows(lean), strict=True):
        assert (full["row"], full["id"]) == (compact["row"], compact["id"])
        if "error" in full:
            assert compact["error"] == full["error"]
            continue
        d, c = full["diagnosis"], compact["diagnosis"]
        for key in ("ticket_id", "carrier", "carrier_assumed", "problem", "cause", "status",
                    "provisional", "facts"):  # fmt: skip
            assert c[key] == d[key], key
        assert c["next_step"] == d["next_step"]["id"]
        assert c["rules"] == [entry["rule"] for entry in d["trace"]]
        assert c["questions"] == [question["fact"] for question in d["questions"]]
        target = d["escalation"]["target"] if d["escalation"] else None
        assert (c["escalation"] or {}).get("target") == target
        assert {f: r["phrase"] for f, r in c["extracted"].items()} == {
            f: r["phrase"] for f, r in d["extracted"].items()
        }
