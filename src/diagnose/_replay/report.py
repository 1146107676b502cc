"""The replay summary: what the knowledge team reads after a replay.

Rows in and out, the share diagnosed, counts per problem and per cause (with a Pareto
chart: the QC teams in our sources rank causes this way), agreement with the outcomes
agents recorded (a confusion table of escalation targets), the most frequent texts
nothing covers, the phrases read from the texts, rules that never fired, and the area
incidents found across tickets.
As JSON, and as one self-contained HTML page (no script, no outside files).
"""

from __future__ import annotations

import html
import json
from collections import Counter
from pathlib import Path
from typing import Any

from .._errors import OutputError
from .._files import write_atomic
from .._knowledge import Knowledge
from .rows import Counted

__all__ = ["Report"]

_TEXT_LIMIT = 20_000  # distinct uncovered texts kept; later ones count only if already seen
_TOP = 20
_PENDING = 4096  # distinct diagnoses counted before they are added to the report's figures


class Report:
    def __init__(self, knowledge: Knowledge, source: str) -> None:
        self._knowledge = knowledge
        self.source = source
        self.rows = 0
        self.errors: Counter[str] = Counter()
        self.error_samples: list[dict[str, Any]] = []
        self._status: Counter[str] = Counter()
        self._problems: Counter[str] = Counter()
        self._causes: Counter[str] = Counter()
        self._fired: Counter[str] = Counter()
        self._phrases: Counter[str] = Counter()  # "fact=phrase" read from the texts
        # the diagnoses not yet added to those: each (by identity: the rows of one share
        # it) and how many rows had it, in the order first seen
        self._pending: dict[int, list[Any]] = {}
        self.uncovered: Counter[str] = Counter()
        self.confusion: Counter[tuple[str, str]] = Counter()
        self.resolved: Counter[str] = Counter()
        self.incidents: list[dict[str, object]] = []

    def error(self, row: int, kind: str, message: str) -> None:
        self.rows += 1
        self.errors[kind] += 1
        if len(self.error_samples) < _TOP:
            self.error_samples.append({"row": row, "kind": kind, "message": message})

    def diagnosed(
        self,
        counted: Counted,
        text: str | None,
        recorded_target: str | None,
        resolved: bool | None,
    ) -> None:
        self.rows += 1
        pending = self._pending.get(id(counted))
        if pending is None:
            if len(self._pending) >= _PENDING:
                self._add_pending()
            self._pending[id(counted)] = [counted, 1]
        else:
            pending[1] += 1
        if counted.problem == "unknown" and text:
            key = " ".join(text.split())[:200]
            if key in self.uncovered or len(self.uncovered) < _TEXT_LIMIT:
                self.uncovered[key] += 1
        if recorded_target is not None:
            self.confusion[(recorded_target, counted.target or "none")] += 1
        if resolved is not None:
            self.resolved["resolved" if resolved else "not_resolved"] += 1

    def _add_pending(self) -> None:
        """Add the diagnoses counted so far, each once with its number of rows: the same
        counts, and the same order among equal counts, as adding row by row."""
        for counted, rows in self._pending.values():
            self._status[counted.status] += rows
            self._problems[counted.problem] += rows
            if counted.cause:
                self._causes[counted.cause] += rows
            for rule in counted.rules:
                self._fired[rule] += rows
            for phrase in counted.phrases:
                if not phrase.startswith("text="):  # not the note that a long text was cut
                    self._phrases[phrase] += rows
        self._pending.clear()

    @property
    def status(self) -> Counter[str]:
        self._add_pending()
        return self._status

    @property
    def problems(self) -> Counter[str]:
        self._add_pending()
        return self._problems

    @property
    def causes(self) -> Counter[str]:
        self._add_pending()
        return self._causes

    @property
    def fired(self) -> Counter[str]:
        self._add_pending()
        return self._fired

    @property
    def phrases(self) -> Counter[str]:
        self._add_pending()
        return self._phrases

    # -- output -----------------------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        k = self._knowledge
        diagnosed = self.rows - sum(self.errors.values())
        concluded = diagnosed - self.status["need_info"] - self.status["unknown"]
        agree = sum(n for (recorded, ours), n in self.confusion.items() if recorded == ours)
        compared = sum(self.confusion.values())
        return {
            "source": self.source,
            "rows": self.rows,
            "diagnosed": diagnosed,
            "diagnosed_share": _share(diagnosed, self.rows),
            "concluded": concluded,
            "concluded_share": _share(concluded, self.rows),
            "errors": dict(self.errors.most_common()),
            "error_samples": self.error_samples,
            "status": dict(self.status.most_common()),
            "problems": [
                {"problem": p, "name": k.problems[p].zh if p in k.problems else p, "count": n}
                for p, n in self.problems.most_common()
            ],
            "causes": _pareto(self.causes, k),
            "agreement": {
                "compared": compared,
                "agree": agree,
                "share": _share(agree, compared),
                "confusion": [
                    {"recorded": recorded, "diagnosed": ours, "count": n}
                    for (recorded, ours), n in sorted(self.confusion.items())
                ],
            },
            "resolved": dict(self.resolved),
            "uncovered": [{"text": t, "count": n} for t, n in self.uncovered.most_common(_TOP)],
            "never_fired": [rule.id for rule in k.rules if rule.id not in self.fired],
            "phrases": [
                {"fact": hit.split("=", 1)[0], "phrase": hit.split("=", 1)[1], "count": n}
                for hit, n in self.phrases.most_common()
            ],
            "area_incidents": self.incidents,
        }

    def write(self, path: Path) -> None:
        data = self.as_dict()
        if path.suffix.lower() == ".json":
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        else:
            text = _html(data)
        try:
            write_atomic(path, text)
        except OSError as error:
            raise OutputError(
                f"cannot write the report {path}: {error.strerror or error}"
            ) from None


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _pareto(causes: Counter[str], knowledge: Knowledge) -> list[dict[str, Any]]:
    total = sum(causes.values())
    rows = []
    running = 0
    for cause, count in sorted(causes.items(), key=lambda item: (-item[1], item[0])):
        running += count
        spec = knowledge.causes.get(cause)
        rows.append({"cause": cause, "name": spec.zh if spec else cause,
                     "problem": spec.problem if spec else None, "count": count,
                     "cumulative_share": _share(running, total)})  # fmt: skip
    return rows


# -- HTML -------------------------------------------------------------------------------------

_STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2em; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
table { border-collapse: collapse; margin: .5em 0; }
td, th { border: 1px solid #ccc; padding: .25em .6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.kpi { display: inline-block; margin: 0 2em 1em 0; }
.kpi b { display: block; font-size: 1.6em; }
svg text { font-size: 11px; }
"""


def _html(data: dict[str, Any]) -> str:
    e = html.escape
    kpis = [("rows", data["rows"]), ("diagnosed", f"{data['diagnosed_share']:.1%}"),
            ("concluded", f"{data['concluded_share']:.1%}"),
            ("errors", sum(data["errors"].values())),
            ("area incidents", len(data["area_incidents"]))]  # fmt: skip
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        f"<title>diagnose replay: {e(data['source'])}</title><style>{_STYLE}</style></head><body>",
        f"<h1>Replay of {e(data['source'])}</h1>",
        "".join(f"<div class='kpi'><b>{e(str(v))}</b>{e(k)}</div>" for k, v in kpis),
    ]
    for title, body in _sections(data):
        parts += [f"<h2>{e(title)}</h2>", body]
    return "\n".join([*parts, "</body></html>\n"])


def _sections(data: dict[str, Any]) -> list[tuple[str, str]]:
    causes = [[c["cause"], c["name"], c["count"], f"{c['cumulative_share']:.1%}"]
              for c in data["causes"]]  # fmt: skip
    incidents = [[i["area"], i["problem"], i["from"], i["to"], i["tickets"], i["peak"],
                  f"{i['first_row']}-{i['last_row']}"] for i in data["area_incidents"]]  # fmt: skip
    errors = _table(["kind", "count"], [[k, n] for k, n in data["errors"].items()]) + _table(
        ["row", "kind", "message"],
        [[s["row"], s["kind"], s["message"]] for s in data["error_samples"]],
    )
    return [
        ("Causes (Pareto)", _pareto_svg(data["causes"])
         + _table(["cause", "name", "count", "cumulative"], causes)),
        ("Problems", _table(["problem", "name", "count"],
                            [[p["problem"], p["name"], p["count"]] for p in data["problems"]])),
        ("Status", _table(["status", "count"], [[s, n] for s, n in data["status"].items()])),
        ("Agreement with recorded escalations", _agreement(data["agreement"])),
        ("Area incidents",
         _table(["area", "problem", "from", "to", "tickets", "peak", "rows"], incidents)),
        ("Most frequent texts nothing covers",
         _table(["text", "count"], [[u["text"], u["count"]] for u in data["uncovered"]])),
        ("Phrases read from the texts", _table(["fact", "phrase", "count"], [
            [p["fact"], p["phrase"], p["count"]] for p in data["phrases"]])),
        ("Rules that never fired", f"<p>{html.escape(', '.join(data['never_fired']) or 'none')}"
                                   "</p>"),
        ("Rows that could not be diagnosed", errors),
    ]  # fmt: skip


def _table(head: list[str], rows: list[list[Any]]) -> str:
    if not rows:
        return "<p>none</p>"
    e = html.escape
    out = ["<table><tr>", *(f"<th>{e(h)}</th>" for h in head), "</tr>"]
    for row in rows:
        cells = (f"<td class='n'>{v}</td>" if isinstance(v, int) else f"<td>{e(str(v))}</td>"
                 for v in row)  # fmt: skip
        out += ["<tr>", *cells, "</tr>"]
    out.append("</table>")
    return "".join(out)


def _agreement(agreement: dict[str, Any]) -> str:
    if not agreement["compared"]:
        return "<p>No recorded escalation targets in this export.</p>"
    cells = {(c["recorded"], c["diagnosed"]): c["count"] for c in agreement["confusion"]}
    recorded = sorted({r for r, _ in cells})
    ours = sorted({d for _, d in cells})
    rows = [[r, *[cells.get((r, d), 0) for d in ours]] for r in recorded]
    summary = (
        f"<p>{agreement['agree']} of {agreement['compared']} rows agree "
        f"({agreement['share']:.1%}). Rows: recorded target; columns: diagnosed.</p>"
    )
    return summary + _table(["recorded \\ diagnosed", *ours], rows)


def _pareto_svg(causes: list[dict[str, Any]]) -> str:
    """Bars of cause counts, largest first, with the cumulative share as a line."""
    if not causes:
        return "<p>No cause was concluded.</p>"
    shown = causes[:25]
    width, height, left, bottom, top = 960, 380, 130, 150, 20
    step = (width - left - 20) / len(shown)
    peak = max(c["count"] for c in shown)
    plot = height - bottom - top
    e = html.escape
    out = [f"<svg id='pareto' xmlns='http://www.w3.org/2000/svg' width='{width}' "
           f"height='{height}' viewBox='0 0 {width} {height}' role='img' "
           "aria-label='Pareto chart of causes'>",
           f"<line x1='{left}' y1='{top + plot}' x2='{width - 20}' y2='{top + plot}' "
           "stroke='#333'/>"]  # fmt: skip
    points = []
    for index, cause in enumerate(shown):
        bar = plot * cause["count"] / peak
        x = left + index * step
        out.append(f"<rect class='bar' x='{x + step * 0.1:.1f}' y='{top + plot - bar:.1f}' "
                   f"width='{step * 0.8:.1f}' height='{bar:.1f}' fill='#3b6ea5'>"
                   f"<title>{e(cause['cause'])}: {cause['count']}</title></rect>")  # fmt: skip
        label_x, label_y = x + step / 2, top + plot + 8
        out.append(f"<text x='{label_x:.1f}' y='{label_y:.1f}' text-anchor='end' "
                   f"transform='rotate(-50 {label_x:.1f} {label_y:.1f})'>"
                   f"{e(cause['cause'])}</text>")  # fmt: skip
        points.append(f"{x + step / 2:.1f},{top + plot * (1 - cause['cumulative_share']):.1f}")
    out.append(f"<polyline class='cumulative' points='{' '.join(points)}' fill='none' "
               "stroke='#d9822b' stroke-width='2'/>")  # fmt: skip
    out.append(f"<text x='{left - 6}' y='{top + 10}' text-anchor='end'>{peak}</text>")
    out.append(f"<text x='{width - 20}' y='{top + 10}' text-anchor='end' fill='#d9822b'>"
               "100%</text></svg>")  # fmt: skip
    return "".join(out)
