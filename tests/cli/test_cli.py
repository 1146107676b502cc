"""The diagnose command, driven as an agent would: exit codes and the lines it prints."""

from __future__ import annotations

import json
from pathlib import Path

from diagnose._cli import cli

COVERAGE = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def test_check_a_code_with_facts(runner) -> None:
    result = runner.invoke(
        cli, ["check", "691", "--carrier", "unicom", "--fact", "account_status=arrears"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "处理方式: 转派处理 (escalate)" in lines
    # no source gives the partner hall a time: no hour is promised, the default is named
    assert (
        "转派: 合作营业厅, 第1级, 按规定时限办结, 资料未给出办结时限,系统默认72小时,不向客户承诺 "
        "[partner_hall]"
    ) in lines
    assert "  auth.renewal: 《客服应知应会材料》 Q11 2" in lines
    # a billing dispute would go elsewhere: the answer is provisional until it is asked
    assert "暂定结论:以下问题的答案可能改变处理方式,确认前不要作为最终答复" in lines
    assert "  1. billing_dispute: 客户是否对费用有异议、要求调账? [true / false]" in lines


def test_check_says_when_the_carrier_was_assumed(runner) -> None:
    assumed = runner.invoke(cli, ["check", "客户要重置服务密码", "--json"])
    named = runner.invoke(cli, ["check", "移动客户要重置服务密码", "--json"])
    assert json.loads(assumed.output)["carrier_assumed"] is True
    assert (json.loads(named.output)["carrier"], json.loads(named.output)["carrier_assumed"]) == (
        "mobile", False)  # fmt: skip
    text = runner.invoke(cli, ["check", "客户要重置服务密码"]).output.splitlines()
    assert "运营商: unicom (未指明,按默认运营商;请向客户确认)" in text


def test_check_text_as_json(runner) -> None:
    result = runner.invoke(cli, ["check", "宽带拨号显示错误678,已经重启过猫", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["problem"] == "broadband.no_response"
    assert data["facts"]["modem_restarted"] is True
    assert data["questions"][0]["fact"] == "line_in_line_port"


def test_check_in_english(runner) -> None:
    result = runner.invoke(cli, ["check", "676", "--lang", "en"])
    assert result.exit_code == 0
    assert "Status: customer self-service (self_service)" in result.output.splitlines()


def test_bad_fact_is_exit_2_without_traceback(runner) -> None:
    result = runner.invoke(cli, ["check", "691", "--fact", "account_status=broke", "--fact", "x"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: bad --fact:",
        "  --fact account_status: 'broke' is not one of normal, arrears, expired",
        "  --fact x: write it as NAME=VALUE",
    ]
    assert "Traceback" not in result.output


def test_bad_rules_folder_is_exit_2_listing_every_problem(runner, tmp_path) -> None:
    (tmp_path / "broken.toml").write_text("[[rule]]\nid = 'x'\n", encoding="utf-8")
    result = runner.invoke(cli, ["--rules", str(tmp_path), "rules"])
    assert result.exit_code == 2
    assert result.output.splitlines()[0].startswith("Error: ")
    assert "broken.toml:1: x: salience: Field required" in result.output


def test_codes_facts_rules_listings(runner, kb) -> None:
    codes = runner.invoke(cli, ["codes"])
    assert codes.exit_code == 0
    assert len(codes.output.splitlines()) == len(kb.codes())
    assert codes.output.splitlines()[0].startswith(f"{kb.codes()[0].code}  ")
    assert any(line.startswith("619  auth ") for line in codes.output.splitlines())
    facts = runner.invoke(cli, ["facts", "--json"])
    assert {f["name"] for f in json.loads(facts.output)} >= {"account_status", "caller_verified"}
    rules = runner.invoke(cli, ["rules"])
    assert rules.exit_code == 0
    assert rules.output.splitlines()[-1].endswith("examples pass")


def test_problems_lists_every_problem_with_its_rules_and_source(runner, kb) -> None:
    listed = runner.invoke(cli, ["problems", "--json"])
    assert listed.exit_code == 0
    problems = {p["id"]: p for p in json.loads(listed.output)}
    assert set(problems) == {p.id for p in kb.problems()} >= {"unknown", "handset.login"}
    deciding = {r.problem for r in kb.rules() if r.problem}
    assert all(problems[p]["rules"] >= 1 for p in deciding)
    assert problems["broadband.no_response"]["codes"] == [651, 678]
    # a password reset is each carrier's own; a modem restart is the same for all
    assert problems["password.service"]["carriers"] == ["mobile", "telecom", "unicom"]
    assert problems["broadband.no_response"]["carriers"] == []
    assert all(p["source"] for p in problems.values())


def test_the_coverage_table_in_docs_is_the_knowledge_as_loaded(runner, kb) -> None:
    table = runner.invoke(cli, ["problems", "--markdown"])
    assert table.exit_code == 0
    rows = [line for line in table.output.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [p.id for p in kb.problems()]
    assert COVERAGE.read_text(encoding="utf-8") == table.output, (
        "docs/coverage.md differs from the knowledge: "
        "diagnose problems --markdown > docs/coverage.md"
    )


def test_a_phone_number_as_the_case_is_exit_2_and_not_echoed(runner) -> None:
    result = runner.invoke(cli, ["check", "13800138000"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        "Error: bad case: CASE: 11 digits is not an error code (at most 99999); give the "
        "code, or the customer's words in quotes"
    ]
    assert "13800138000" not in result.output


def test_a_ticket_that_contradicts_itself_is_exit_2(runner) -> None:
    result = runner.invoke(cli, ["check", "676", "--fact", "code_shown=否"])
    assert result.exit_code == 2
    assert result.output.startswith("Error: bad ticket: error_code & facts.code_shown: ")
    assert "Traceback" not in result.output


def test_digits_that_are_not_ascii_are_read_as_words(runner) -> None:
    result = runner.invoke(cli, ["check", "²³⁴"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
