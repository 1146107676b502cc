"""The replay report: its numbers, and the HTML page in a real (headless) browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from playwright.sync_api import sync_playwright

from diagnose._cli import cli

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> tuple[dict, Path]:
    from click.testing import CliRunner

    folder = tmp_path_factory.mktemp("report")
    html, data = folder / "report.html", folder / "report.json"
    result = CliRunner().invoke(cli, [
        "replay", str(EXAMPLES / "tickets.csv"), "--mapping", str(EXAMPLES / "mapping.toml"),
        "--out", str(folder / "out.jsonl"), "--report", str(html), "--report", str(data),
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    return json.loads(data.read_text(encoding="utf-8")), html


def test_the_numbers_add_up(reports, kb) -> None:
    data, _ = reports
    assert data["diagnosed"] + sum(data["errors"].values()) == data["rows"]
    assert sum(p["count"] for p in data["problems"]) == data["diagnosed"]
    counts = [c["count"] for c in data["causes"]]
    assert counts == sorted(counts, reverse=True)  # Pareto order
    shares = [c["cumulative_share"] for c in data["causes"]]
    assert shares == sorted(shares) and shares[-1] == 1.0
    agreement = data["agreement"]
    assert sum(c["count"] for c in agreement["confusion"]) == agreement["compared"] > 0
    assert agreement["agree"] == sum(c["count"] for c in agreement["confusion"]
                                     if c["recorded"] == c["diagnosed"])  # fmt: skip
    rule_ids = {rule.id for rule in kb.rules()}
    assert set(data["never_fired"]) < rule_ids
    assert {u["text"] for u in data["uncovered"]} >= {"客户来电咨询套餐资费"}
    phrases = {(p["fact"], p["phrase"]): p["count"] for p in data["phrases"]}
    assert phrases[("modem_restarted", "猫重启过")] > 0  # "显示 678 错误 猫重启过了,..."
    assert all(kb.knowledge.facts.get(fact) for fact, _ in phrases)


def test_the_page_shows_the_pareto_chart_in_a_browser(reports, tmp_path) -> None:
    data, html = reports
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(html.as_uri())
            chart = page.locator("#pareto")
            assert chart.is_visible()
            box = chart.bounding_box()
            assert box is not None and box["width"] > 600 and box["height"] > 200
            bars = page.locator("#pareto rect.bar")
            assert bars.count() == min(len(data["causes"]), 25)
            tallest = bars.first.bounding_box()
            assert tallest is not None and tallest["height"] > 100  # the largest cause
            assert page.locator("#pareto polyline.cumulative").is_visible()
            assert page.get_by_role("heading", name="Area incidents").is_visible()
            shot = page.screenshot()
            assert len(shot) > 10_000
        finally:
            browser.close()


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rows_counted_in_bulk_make_the_same_report(kb, data) -> None:
    """The report adds up rows of one diagnosis together: the same figures, in the same
    order among equal counts, as adding them one by one, however often it adds up."""
    from diagnose._replay import report as reporting
    from diagnose._replay.rows import Counted

    rules = [rule.id for rule in kb.knowledge.rules[:6]]
    made = [Counted(status, problem, cause, None, tuple(chosen), tuple(f"topic={p}" for p in chosen))
            for status, problem, cause, chosen in data.draw(st.lists(st.tuples(
                st.sampled_from(["escalate", "need_info", "unknown"]),
                st.sampled_from(["unknown", *list(kb.knowledge.problems)[:3]]),
                st.sampled_from([None, "c1", "c2"]),
                st.lists(st.sampled_from(rules), max_size=3, unique=True)), min_size=1, max_size=8))]  # fmt: skip
    rows = data.draw(st.lists(st.sampled_from(made), max_size=60))
    pending = data.draw(st.integers(1, 5))
    figures = []
    for limit in (pending, 10**9):
        reporting._PENDING = limit  # noqa: SLF001
        try:
            report = reporting.Report(kb.knowledge, "export.csv")
            for counted in rows:
                report.diagnosed(counted, None, None, None)
            figures.append(report.as_dict())
        finally:
            reporting._PENDING = 4096  # noqa: SLF001
    one_by_one = reporting.Report(kb.knowledge, "export.csv")
    for counted in rows:  # each row a diagnosis of its own
        one_by_one.diagnosed(Counted(*counted), None, None, None)
    figures.append(one_by_one.as_dict())
    assert figures[0] == figures[1] == figures[2]
