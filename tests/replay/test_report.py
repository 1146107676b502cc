"""The replay report: its numbers, and the HTML page in a real (headless) browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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
