"""diagnose extract: how one note is read, and how well an annotated corpus is read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from diagnose._cli import cli


def test_a_note_is_shown_fact_by_fact_with_how_it_was_read(runner) -> None:
    result = runner.invoke(cli, ["extract", "678,客户并未装路由器,重启过猫吗?"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "error_code = 678 ← “678”" in lines
    assert "router_present = false ← “路由器” (否定词“并未”)" in lines
    assert "modem_restarted = ? ← “重启过猫” (只是问到,未确认)" in lines
    assert "事实: topic=dialup, error_code=678, code_shown=true, router_present=false" in lines


def test_a_conflict_and_a_change_are_shown_in_english(runner) -> None:
    result = runner.invoke(
        cli, ["extract", "--lang", "en", "有路由器,没有路由器;之前欠费,现在已缴费"]
    )
    lines = result.output.splitlines()
    assert "router_present = ? ← “没有路由器” (conflicting, not settled: also '有路由器')" in lines
    assert (
        "account_status = normal ← “已缴费” (changed, the later one stands: before '欠费')" in lines
    )


def test_a_note_as_json(runner) -> None:
    result = runner.invoke(cli, ["extract", "宽带连接不上,没重启", "--json"])
    read = json.loads(result.output)
    assert read["modem_restarted"] == {"phrase": "没重启", "value": False, "how": "said",
                                       "negation": None, "others": []}  # fmt: skip


def _corpus(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "notes.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


GOOD = json.dumps({"text": "678 没有重启过猫", "facts": {
    "topic": "dialup", "error_code": 678, "code_shown": True, "modem_restarted": False}},
    ensure_ascii=False)  # fmt: skip
MISREAD = json.dumps({"text": "客户13812345678说有路由器", "facts": {"router_present": False}},
                     ensure_ascii=False)  # fmt: skip


def test_eval_scores_each_fact_and_lists_every_misread_note(runner, tmp_path) -> None:
    corpus = _corpus(tmp_path, GOOD, MISREAD)
    result = runner.invoke(cli, ["extract", "--eval", str(corpus)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["fact", "right", "wrong", "missed", "precision", "recall"]
    assert "modem_restarted".ljust(20) + "      1      0      0     1.000   1.000" in lines
    assert "router_present".ljust(20) + "      0      1      1     0.000   0.000" in lines
    assert "all".ljust(20) + "      4      1      1     0.800   0.800" in lines
    assert "共评估 2 条" in lines
    assert f"{corpus}:2: router_present: 标注 false, 读出 true ← “有路由器”" in lines
    # the note is shown, its phone number masked (customer data is never disclosed)
    assert "    客户138******78说有路由器" in lines
    assert "13812345678" not in result.output


def test_eval_reports_every_bad_line_scores_the_rest_and_exits_2(runner, tmp_path) -> None:
    corpus = _corpus(tmp_path, "not json", GOOD, '{"text": "有路由器", "facts": {"mood": 1}}',
                     '{"facts": {}}', '{"text": "x", "facts": {"router_present": "perhaps"}}')  # fmt: skip
    result = runner.invoke(cli, ["extract", "--eval", str(corpus)])
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert "共评估 1 条" in lines
    assert f"{corpus}:1: not JSON: Expecting value (column 1)" in lines
    assert f"{corpus}:3: facts.mood: unknown fact (diagnose facts lists them)" in lines
    assert f'{corpus}:4: write each line as {{"text": "...", "facts": {{...}}}}' in lines
    assert any(line.startswith(f"{corpus}:5: facts.router_present: expected yes or no")
               for line in lines)  # fmt: skip
    assert "Traceback" not in result.output


def test_eval_as_json(runner, tmp_path) -> None:
    result = runner.invoke(cli, ["extract", "--eval", str(_corpus(tmp_path, GOOD)), "--json"])
    score = json.loads(result.output)
    assert score["lines"] == 1 and score["misread"] == [] and score["bad_lines"] == []
    assert {"fact": "modem_restarted", "right": 1, "wrong": 0, "missed": 0, "precision": 1.0,
            "recall": 1.0} in score["facts"]  # fmt: skip


@pytest.mark.parametrize("args", [[], ["x", "--eval", "README.md"]])
def test_extract_needs_a_text_or_a_corpus_not_both(runner, args) -> None:
    result = runner.invoke(cli, ["extract", *args])
    assert result.exit_code == 2
    assert "give a TEXT to read, or --eval FILE, not both" in result.output
