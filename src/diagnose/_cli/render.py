"""How diagnose reads on a screen, in Chinese or English: the one place the command line
lays out text. ``summary`` is what ``check`` prints; a session shows a ``conclusion`` with
its next step, escalation and wording apart, its questions, and ``why`` and ``how``.

Functions return lines; a ``Line`` is the text and whether it is a heading (bold on a
terminal).
"""

from __future__ import annotations

from .._api import CodeInfo, FactInfo, ProblemInfo, RuleInfo
from .._knowledge import BOOL_LABELS, DERIVED_FACTS, show_value
from .._models import Diagnosis, Escalation, Question, Reading, ReadingScore, Reason, Why

__all__ = [
    "LABELS",
    "TEXT",
    "Line",
    "code_line",
    "conclusion",
    "escalation_line",
    "fact_lines",
    "how",
    "known",
    "question",
    "reading_line",
    "reading_lines",
    "rule_line",
    "score_lines",
    "summary",
    "why",
]

Line = tuple[str, bool]

LABELS = {
    "zh": {
        "problem": "问题", "cause": "原因", "status": "处理方式", "next": "下一步",
        "escalation": "转派", "wording": "客户话术", "questions": "待确认",
        "trace": "依据", "tier": "第{tier}级", "within": "{hours}小时内办结",
        "reply": "{hours}小时内回复", "none": "无需转派", "extracted": "从描述中识别",
        "status_self_service": "指导客户自助处理", "status_agent_action": "客服当场处理",
        "status_escalate": "转派处理", "status_need_info": "需要进一步确认",
        "status_unknown": "知识库未覆盖",
        "carrier": "运营商", "assumed": "未指明,按默认运营商;请向客户确认",
        "provisional": "暂定结论:以下问题的答案可能改变处理方式,确认前不要作为最终答复",
        "by_rule": "按规定时限办结",
        "no_hours": "资料未给出办结时限,系统默认{hours}小时,不向客户承诺",
        "local": "本地规定",
    },
    "en": {
        "problem": "Problem", "cause": "Cause", "status": "Status", "next": "Next step",
        "escalation": "Escalate", "wording": "Customer wording", "questions": "To confirm",
        "trace": "Sources", "tier": "tier {tier}", "within": "close within {hours} h",
        "reply": "reply within {hours} h", "none": "no escalation", "extracted": "Read from text",
        "status_self_service": "customer self-service", "status_agent_action": "agent acts now",
        "status_escalate": "escalate", "status_need_info": "need more information",
        "status_unknown": "not covered",
        "carrier": "Carrier",
        "assumed": "not named; the default carrier: confirm with the customer",
        "provisional": "Provisional: the answers below could change what to do; not final yet",
        "by_rule": "close within the required time", "no_hours":
        "no source gives a closing time; system default {hours} h, not promised to the customer",
        "local": "local policy",
    },
}  # fmt: skip

TEXT = {
    "zh": {
        "start": "诊断会话开始。输入编号或取值作答,help 查看命令。",
        "known": "已知",
        "question": "问题 {n} · {fact}",
        "number": "请输入数字",
        "conclusion": "结论",
        "provisional": "暂定结论(仍有未确认的问题,不是最终答复)",
        "open_questions": "【未确认的问题】",
        "next_step": "【下一步】",
        "escalation": "【转派】",
        "wording": "【客户话术】",
        "go_on": "还有可以改变结论的问题。输入 c 继续确认,f 结束。",
        "nothing_left": "没有能改变结论的问题了。",
        "finished": "会话结束。",
        "saved": "会话已保存到 {path}",
        "undone": "已撤回: {what}",
        "nothing_to_undo": "没有可撤回的回答。",
        "restarted": "已重新开始,回到最初的已知情况。",
        "skipped": "已跳过: {fact}(不再询问)",
        "unclear": "无法识别“{text}”:{why}。输入编号、取值,或 help。",
        "why_title": "为什么问 {fact}:",
        "why_rules": "等待这个答案的规则:",
        "why_answers": "各个答案的结果:",
        "why_then": "接着问 {fact}",
        "why_none": "当前没有要问的问题。",
        "how_title": "结论的推理过程(按触发顺序):",
        "how_decides": "← 当前结论",
        "interrupted": "会话已中断。",
        "not_saved": "注意:会话未能保存",
        "help": (
            "作答: 输入选项编号或取值(如 1、是、arrears);数字题直接输入数字。\n"
            "  名称=取值     回答任意一项,如 modem_restarted=是\n"
            "  why          为什么问这个问题,各个答案会得出什么\n"
            "  how          当前结论是由哪些规则得出的\n"
            "  back         撤回上一个回答\n"
            "  skip         不知道,跳过这个问题\n"
            "  restart      从头开始\n"
            "  c / f        得出结论后:继续确认 / 结束\n"
            "  quit         结束会话\n"
            "  help         显示本说明"
        ),
    },
    "en": {
        "start": "Diagnosis session. Answer with a number or a value; help lists the commands.",
        "known": "Known",
        "question": "Question {n} · {fact}",
        "number": "type a number",
        "conclusion": "Conclusion",
        "provisional": "Provisional conclusion (questions still open: not final)",
        "open_questions": "[Open questions]",
        "next_step": "[Next step]",
        "escalation": "[Escalate]",
        "wording": "[Customer wording]",
        "go_on": "Some questions could still change this. Type c to go on, f to finish.",
        "nothing_left": "No question left could change the conclusion.",
        "finished": "Session finished.",
        "saved": "Session saved to {path}",
        "undone": "Taken back: {what}",
        "nothing_to_undo": "Nothing to take back.",
        "restarted": "Started again from what was known at first.",
        "skipped": "Skipped: {fact} (not asked again)",
        "unclear": "Cannot read '{text}': {why}. Type a number, a value, or help.",
        "why_title": "Why {fact} is asked:",
        "why_rules": "Rules waiting on the answer:",
        "why_answers": "What each answer leads to:",
        "why_then": "then asks {fact}",
        "why_none": "Nothing is being asked now.",
        "how_title": "How the conclusion was reached (rules in firing order):",
        "how_decides": "<- the conclusion",
        "interrupted": "Session interrupted.",
        "not_saved": "Warning: the session was not saved",
        "help": (
            "Answer: type the choice's number or its value (1, yes, arrears); a number for\n"
            "number questions.\n"
            "  NAME=VALUE   answer any fact, e.g. modem_restarted=yes\n"
            "  why          why this question, and what each answer leads to\n"
            "  how          which rules reached the current conclusion\n"
            "  back         take back the last answer\n"
            "  skip         not known: skip this question\n"
            "  restart      start again\n"
            "  c / f        after a conclusion: go on / finish\n"
            "  quit         end the session\n"
            "  help         show this help"
        ),
    },
}

_RULE = "═" * 36


def escalation_line(escalation: Escalation | None, lang: str) -> str:
    """'合作营业厅, 第1级, 24小时内办结 [partner_hall]', or 'no escalation'."""
    t = LABELS[lang]
    if escalation is None:
        return t["none"]
    parts = [escalation.name_en if lang == "en" else escalation.name,
             t["tier"].format(tier=escalation.tier)]  # fmt: skip
    if escalation.reply_hours:
        parts.append(t["reply"].format(hours=escalation.reply_hours))
    if escalation.limit == "default":
        parts += [t["by_rule"], t["no_hours"].format(hours=escalation.deadline_hours)]
        return f"{', '.join(parts)} [{escalation.target}]"
    parts.append(t["within"].format(hours=escalation.deadline_hours))
    local = f" ({t['local']})" if escalation.limit == "local_policy" else ""
    return f"{', '.join(parts)}{local} [{escalation.target}]"


def _head(diagnosis: Diagnosis, lang: str) -> list[str]:
    """The problem, the carrier, the cause if known, and how the case is handled."""
    t, en = LABELS[lang], lang == "en"
    lines = [f"{t['problem']}: {diagnosis.problem_text_en if en else diagnosis.problem_text}"]
    if diagnosis.carrier_assumed:
        lines.append(f"{t['carrier']}: {diagnosis.carrier} ({t['assumed']})")
    if diagnosis.cause:
        lines.append(f"{t['cause']}: {diagnosis.cause_text_en if en else diagnosis.cause_text}")
    lines.append(f"{t['status']}: {t['status_' + diagnosis.status]} ({diagnosis.status})")
    return lines


def summary(diagnosis: Diagnosis, lang: str = "zh") -> str:
    """The diagnosis as an agent reads it: conclusion, step, escalation, wording, questions."""
    t, en = LABELS[lang], lang == "en"
    step = diagnosis.next_step
    lines = [*_head(diagnosis, lang), f"{t['next']}: {step.text_en if en else step.text}",
             f"{t['escalation']}: {escalation_line(diagnosis.escalation, lang)}",
             "", f"{t['wording']}:",
             f"  {diagnosis.wording_en if en else diagnosis.wording}"]  # fmt: skip
    if diagnosis.provisional:
        lines += ["", t["provisional"]]
    if diagnosis.questions:
        lines += ["", f"{t['questions']}:"]
        for number, asked in enumerate(diagnosis.questions, 1):
            choices = f" [{' / '.join(asked.choices)}]" if asked.choices else " [0-9]"
            lines.append(f"  {number}. {asked.fact}: {asked.text_en if en else asked.text}"
                         f"{choices}")  # fmt: skip
    if diagnosis.extracted:
        lines += ["", f"{t['extracted']}:"]
        lines += [
            f"  {reading_line(fact, read, lang)}" for fact, read in diagnosis.extracted.items()
        ]
    lines += ["", f"{t['trace']}:"]
    lines += [f"  {entry.rule}: {entry.source}" for entry in diagnosis.trace]
    return "\n".join(lines)


_HOW = {
    "zh": {"said": "", "negated": "否定词“{word}”", "answered": "问后答否",
           "questioned": "只是问到,未确认",
           "double_negation": "双重否定,未确认", "conflict": "说法矛盾,未确认:另有“{others}”",
           "changed": "前后变化,以后者为准:先前“{others}”",
           "outweighs": "两说并存,以此为准(知识库规定):另有“{others}”",
           "other_topic": "说的是另一类问题(“{others}”),不算",
           "cut": "描述过长,只读了开头的字数"},
    "en": {"said": "", "negated": "negated by '{word}'", "answered": "asked, answered no",
           "questioned": "only asked, not settled",
           "double_negation": "negated twice, not settled",
           "conflict": "conflicting, not settled: also '{others}'",
           "changed": "changed, the later one stands: before '{others}'",
           "outweighs": "both said, this one stands (the knowledge says so): also '{others}'",
           "other_topic": "said of another kind of problem ('{others}'): not taken",
           "cut": "too long: only this many characters were read"},
}  # fmt: skip


def reading_line(fact: str, read: Reading, lang: str) -> str:
    """'modem_restarted = false ← “重启过猫” (否定词“没有”)'."""
    value = "?" if read.value is None else show_value(read.value)
    return f"{fact} = {value} ← {_read_from(read, lang)}"


def _read_from(read: Reading, lang: str) -> str:
    """'“重启过猫” (否定词“没有”)': the words read, and how."""
    joined = ("”“" if lang == "zh" else "', '").join(read.others)
    kind = "answered" if read.how == "negated" and read.negation is None else read.how
    how = _HOW[lang][kind].format(word=read.negation, others=joined)
    return f"“{read.phrase}”" + (f" ({how})" if how else "")


def reading_lines(diagnosis: Diagnosis, lang: str) -> list[str]:
    """What a note says, fact by fact, and the facts the diagnosis takes from it."""
    en = lang == "en"
    lines = [reading_line(fact, read, lang) for fact, read in diagnosis.extracted.items()]
    if not lines:
        lines = ["nothing read" if en else "未读出任何事实"]
    hidden = {*DERIVED_FACTS, *(["carrier"] if diagnosis.carrier_assumed else [])}
    shown = {k: v for k, v in diagnosis.facts.items() if k not in hidden}
    taken = ", ".join(f"{k}={show_value(v)}" for k, v in shown.items()) or "—"
    return [*lines, "", f"{'Facts' if en else '事实'}: {taken}"]


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def score_lines(score: ReadingScore, source: str, lang: str) -> list[str]:
    """Per fact: right, wrong, missed, precision, recall; then each misread note and each
    line that could not be scored, as FILE:LINE."""
    en = lang == "en"
    head = ("fact", "right", "wrong", "missed", "precision", "recall")
    lines = [f"{head[0]:<20} {head[1]:>6} {head[2]:>6} {head[3]:>6} {head[4]:>9} {head[5]:>7}"]
    for fact in score.facts:
        lines.append(f"{fact.fact:<20} {fact.right:>6} {fact.wrong:>6} {fact.missed:>6} "
                     f"{_share(fact.precision):>9} {_share(fact.recall):>7}")  # fmt: skip
    right = sum(f.right for f in score.facts)
    read, meant = (
        right + sum(f.wrong for f in score.facts),
        right + sum(f.missed for f in score.facts),
    )
    lines.append(f"{'all':<20} {right:>6} {read - right:>6} {meant - right:>6} "
                 f"{_share(right / read if read else None):>9} "
                 f"{_share(right / meant if meant else None):>7}")  # fmt: skip
    lines += ["", f"{score.lines} notes scored" if en else f"共评估 {score.lines} 条"]
    if score.misread:
        lines += ["", "Misread:" if en else "读错的:"]
    for miss in score.misread:
        said = "—" if miss.read is None else show_value(miss.read)
        meant_value = "—" if miss.expected is None else show_value(miss.expected)
        how = f" ← {_read_from(miss.reading, lang)}" if miss.reading else ""
        words = ("annotated", "read") if en else ("标注", "读出")
        lines.append(f"{source}:{miss.line}: {miss.fact}: {words[0]} {meant_value}, "
                     f"{words[1]} {said}{how}")  # fmt: skip
        lines.append(f"    {miss.text}")
    if score.bad_lines:
        lines += ["", "Not scored:" if en else "未能评估的行:"]
        lines += [f"{source}:{bad.line}: {bad.message}" for bad in score.bad_lines]
    return lines


def conclusion(diagnosis: Diagnosis, lang: str) -> list[Line]:
    """A session's conclusion: the next step, the escalation and the wording apart."""
    t, en = TEXT[lang], lang == "en"
    title = t["provisional"] if diagnosis.provisional else t["conclusion"]
    lines: list[Line] = [("", False), (f"══ {title} {_RULE}", True)]
    lines += [(line, False) for line in _head(diagnosis, lang)]
    step = diagnosis.next_step
    blocks = (
        ("next_step", step.text_en if en else step.text),
        ("escalation", escalation_line(diagnosis.escalation, lang)),
        ("wording", diagnosis.wording_en if en else diagnosis.wording),
    )
    for key, text in blocks:
        lines += [("", False), (t[key], True), (f"  {text}", False)]
    if diagnosis.provisional:
        lines += [("", False), (t["open_questions"], True)]
        lines += [(f"  {q.fact}: {q.text_en if en else q.text}", False)
                  for q in diagnosis.questions]  # fmt: skip
    lines.append(("═" * 44, True))
    return lines


def known(diagnosis: Diagnosis, lang: str) -> str:
    """'已知: topic=dialup, error_code=691, ...': the facts a session starts from."""
    shown = ", ".join(f"{k}={show_value(v)}" for k, v in diagnosis.facts.items()
                      if k not in DERIVED_FACTS)  # fmt: skip
    return f"{TEXT[lang]['known']}: {shown}"


def question(asked: Question, number: int, lang: str) -> list[Line]:
    t, en = TEXT[lang], lang == "en"
    lines: list[Line] = [("", False), (t["question"].format(n=number, fact=asked.fact), True),
                         (asked.text_en if en else asked.text, False)]  # fmt: skip
    if not asked.choices:
        return [*lines, (f"  ({t['number']})", False)]
    for index, choice in enumerate(asked.choices, 1):
        if en:
            label = BOOL_LABELS["en"].get(choice) if asked.type == "bool" else None
        else:
            label = asked.labels.get(choice)
        lines.append((f"  {index}) {f'{label} ({choice})' if label else choice}", False))
    return lines


def why(answer: Why | None, lang: str) -> list[Line]:
    """The rules waiting on the question, and where each answer leads."""
    t, en = TEXT[lang], lang == "en"
    if answer is None:
        return [(t["why_none"], False)]
    lines = [t["why_title"].format(fact=answer.question.fact), f"  {t['why_rules']}"]
    for waiting in answer.waiting:
        needs = waiting.needs_en if en else waiting.needs
        lines += [f"    {waiting.rule}: {' & '.join(needs)}",
                  f"      → {waiting.concludes_en if en else waiting.concludes}",
                  f"      {waiting.source}"]  # fmt: skip
    lines.append(f"  {t['why_answers']}")
    for outcome in answer.outcomes:
        answers = ", ".join(show_value(v) for v in outcome.answers)
        step = outcome.next_step.text_en if en else outcome.next_step.text
        status = LABELS[lang]["status_" + outcome.status]
        line = f"    {answers} → {status}: {_short(step).rstrip('。.')}"
        if outcome.escalate:
            line += f" [{outcome.escalate}]"
        if outcome.status == "need_info" and outcome.next_question:
            line += f"; {t['why_then'].format(fact=outcome.next_question)}"
        lines.append(line)
    return [(line, False) for line in lines]


def how(reasons: list[Reason], lang: str) -> list[Line]:
    """The rules that fired, in order, the deciding one marked."""
    t, en = TEXT[lang], lang == "en"
    lines = [t["how_title"]]
    for number, reason in enumerate(reasons, 1):
        mark = f"  {t['how_decides']}" if reason.decides else ""
        because = " & ".join(reason.because_en if en else reason.because) or "—"
        lines += [f"  {number}. {reason.rule}: {because}{mark}",
                  f"     → {_short(reason.concludes_en if en else reason.concludes)}",
                  f"     {reason.source}"]  # fmt: skip
    return [(line, False) for line in lines]


def code_line(code: CodeInfo) -> str:
    name = code.name or ""
    return f"{code.code}  {code.stage:<6} {code.problem:<30} {name:<36} {code.meaning}"


def problem_line(problem: ProblemInfo) -> str:
    codes = " ".join(map(str, problem.codes))
    carriers = ", ".join(problem.carriers) or "all alike"
    return (f"{problem.id:<30} {problem.rules:>3} rules  {carriers:<22} {problem.name}"
            + (f"  [{codes}]" if codes else ""))  # fmt: skip


COVERAGE_HEAD = """# What the knowledge covers

Every problem a diagnosis can name, with the document each comes from. Written by
`diagnose problems --markdown > docs/coverage.md` from the shipped rules and knowledge; the
test suite fails when the two differ. *rules*: the rules that decide the problem or answer
it; *carriers*: the carriers some of its rules speak for alone (their own channels, hours
or procedures); the others get what all carriers share.

| problem | 问题 | problem (en) | rules | codes | carriers | source |
|---|---|---|---|---|---|---|
"""


def coverage(problems: list[ProblemInfo]) -> str:
    """The problems as a Markdown table, for reviewers."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    rows = [
        f"| `{p.id}` | {cell(p.name)} | {cell(p.name_en)} | {p.rules} | "
        f"{' '.join(map(str, p.codes)) or '-'} | {', '.join(p.carriers) or 'all alike'} | "
        f"{cell(p.source)} |"
        for p in problems
    ]
    return COVERAGE_HEAD + "\n".join(rows) + "\n"


def fact_lines(fact: FactInfo) -> str:
    values = " | ".join(fact.choices) if fact.choices else "number"
    asked = "" if fact.askable else "  (not asked)"
    return f"{fact.name:<20} {values}{asked}\n{'':<20} {fact.question}"


def rule_line(rule: RuleInfo) -> str:
    status = rule.status or f"-> {rule.problem}"
    where = f"{rule.file}:{rule.line}" if rule.line else rule.file
    return f"{rule.id:<34} {rule.salience:>5}  {status:<14} {where}"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
