"""What a knowledge editor can add, the knowledge alone declares: a carrier, a problem and a
code stage added to a copy of the shipped files work end to end, through the API and the
command line; nothing else lists them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import diagnose
from diagnose._cli import cli
from diagnose._knowledge import default_dirs

RULES, KNOWLEDGE = default_dirs()
ADDED = {
    "knowledge/carriers.toml": """
[carriers.broadnet]
name = "中国广电"
name_en = "China Broadnet"
hotline = "10099"
source = { doc = "seed004", section = "服务窗口类型" }

[carriers.broadnet.channels]
"10099" = { doc = "seed004", section = "服务窗口类型" }
""",
    "knowledge/stages.toml": """
[stages.optical]
zh = "光路阶段"
en = "Optical stage"
source = { doc = "ms_connect", section = "device stage" }
""",
    "knowledge/problems.toml": """
[problems."broadband.no_light"]
zh = "光猫无光信号"
en = "No light on the optical modem"
source = { doc = "ms_connect", section = "device stage" }
""",
    "knowledge/codes.toml": """
[[code]]
code = 1001
stage = "optical"
problem = "broadband.no_light"
meaning = "光信号中断"
meaning_en = "The optical signal is lost"
source = { doc = "ms_connect", section = "device stage" }
""",
    "knowledge/texts_added.toml": """
[steps."no_light.call"]
zh = "请客户致电{hotline}报修。"
en = "Ask the customer to call {hotline}."
source = { doc = "ms_connect", section = "device stage" }

[wording."no_light.call"]
zh = "您好,请您致电{carrier_name}{hotline}报修。"
en = "Please call {carrier_name} on {hotline}."
source = { doc = "ms_connect", section = "device stage" }
""",
    "rules/no_light.toml": """
[[rule]]
id = "no_light.call"
salience = 10
when = [{ fact = "problem", op = "equals", value = "broadband.no_light" }, { fact = "code_stage", op = "equals", value = "optical" }]
then = { status = "self_service", step = "no_light.call", wording = "no_light.call" }
source = { doc = "ms_connect", section = "device stage" }
example = { given = { error_code = 1001, carrier = "broadnet" }, expect = { problem = "broadband.no_light", status = "self_service" } }
""",
}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> tuple[Path, Path]:
    top = tmp_path_factory.mktemp("added")
    shutil.copytree(RULES, top / "rules")
    shutil.copytree(KNOWLEDGE, top / "knowledge")
    for name, text in ADDED.items():
        path = top / name
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        path.write_text(old + text, encoding="utf-8")
    return top / "rules", top / "knowledge"


def test_the_added_items_diagnose_through_the_api(folders) -> None:
    kb = diagnose.load(*folders)
    assert "broadnet" in kb.carriers
    diagnosis = kb.diagnose({"error_code": 1001, "carrier": "broadnet"})
    assert (diagnosis.problem, diagnosis.status) == ("broadband.no_light", "self_service")
    assert diagnosis.facts["code_stage"] == "optical"
    assert diagnosis.carrier == "broadnet" and "中国广电10099" in diagnosis.wording
    assert kb.diagnose({"facts": {"carrier": "broadnet"}}).carrier == "broadnet"
    assert all(result.passed for result in diagnose.check_examples(kb))
    with pytest.raises(
        diagnose.TicketError, match="is not one of unicom, mobile, telecom, broadnet"
    ):
        kb.diagnose({"facts": {"carrier": "vodafone"}})


def test_the_added_items_diagnose_through_the_command_line(runner, folders) -> None:
    where = ["--rules", str(folders[0]), "--knowledge", str(folders[1])]
    result = runner.invoke(cli, [*where, "check", "1001", "--carrier", "broadnet", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["carrier"], data["problem"]) == ("broadnet", "broadband.no_light")
    refused = runner.invoke(cli, [*where, "check", "1001", "--carrier", "vodafone"])
    assert refused.exit_code == 2
    assert "'vodafone' is not one of unicom, mobile, telecom, broadnet" in refused.output
    codes = runner.invoke(cli, [*where, "codes"])
    assert any(line.startswith("1001  optical ") for line in codes.output.splitlines())
    # the shipped knowledge does not know the carrier
    assert runner.invoke(cli, ["check", "1001", "--carrier", "broadnet"]).exit_code == 2


def test_a_code_of_an_undeclared_stage_is_a_load_error(tmp_path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    codes = knowledge / "codes.toml"
    codes.write_text(codes.read_text(encoding="utf-8") + ADDED["knowledge/codes.toml"],
                     encoding="utf-8")  # fmt: skip
    with pytest.raises(diagnose.KnowledgeError) as caught:
        diagnose.load(RULES, knowledge)
    messages = [str(issue) for issue in caught.value.issues]
    assert any("code 1001: stage: unknown stage 'optical' ([stages]: device, auth)" in m
               for m in messages), messages  # fmt: skip
