"""The ``diagnose`` command: check a case, run a session, list the codes, facts and rules.

Exit codes: 0 diagnosed (or listed), 2 bad input (a bad ticket, fact, option or rule
file: the message says what and where), 1 other errors. A user mistake never shows a
traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .._errors import DiagnoseError, TicketError, TicketIssue

if TYPE_CHECKING:
    from .._api import KnowledgeBase
    from .._models import Ticket

# Each command imports what it uses when it runs: ``--help`` needs none of it.

__all__ = ["cli", "main"]


class _UserError(click.ClickException):
    """A DiagnoseError shown the click way: 'Error: ...' and its exit code, no traceback."""

    def __init__(self, error: DiagnoseError) -> None:
        super().__init__(error.format_message())
        self.exit_code = error.exit_code  # type: ignore[misc]


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DiagnoseError as error:
            raise _UserError(error) from None


class _State:
    def __init__(self, rules: Path | None, knowledge: Path | None) -> None:
        self.rules = rules
        self.knowledge = knowledge
        self._base: KnowledgeBase | None = None

    @property
    def base(self) -> KnowledgeBase:
        if self._base is None:
            from .._api import load

            self._base = load(self.rules, self.knowledge)
        return self._base


_dir = click.Path(exists=True, file_okay=False, path_type=Path)


def _echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--rules", type=_dir, help="Folder of rule files (default: the shipped rules).")
@click.option("--knowledge", type=_dir, help="Folder of knowledge files (default: shipped).")
@click.version_option(package_name="diagnose")
@click.pass_context
def cli(ctx: click.Context, rules: Path | None, knowledge: Path | None) -> None:
    """Troubleshooting for telecom service agents: next step, escalation, customer wording."""
    ctx.obj = _State(rules, knowledge)


def _parse_facts(base: KnowledgeBase, pairs: tuple[str, ...]) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    issues = []
    knowledge = base.knowledge
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep:
            issues.append(TicketIssue(f"--fact {pair}", "write it as NAME=VALUE"))
        elif name not in knowledge.facts:
            known = ", ".join(knowledge.facts)
            issues.append(TicketIssue(f"--fact {name}", f"unknown fact (known: {known})"))
        else:
            try:
                facts[name] = knowledge.domains[name].parse(value)
            except ValueError as error:
                issues.append(TicketIssue(f"--fact {name}", str(error)))
    if issues:
        raise TicketError(issues, where="--fact")
    return facts


def _ticket(
    base: KnowledgeBase,
    case: str | None,
    carrier: str | None,
    facts: tuple[str, ...],
    ticket_id: str | None,
) -> Ticket:
    from .._api import to_ticket

    fields: dict[str, Any] = {"id": ticket_id, "carrier": carrier}
    digits = case.strip() if case is not None else ""
    if digits.isascii() and digits.isdigit():
        highest = base.knowledge.domains["error_code"].max
        if highest is not None and int(digits) > highest:  # a phone number? not echoed
            message = (f"{len(digits)} digits is not an error code (at most {highest}); give "
                       "the code, or the customer's words in quotes")  # fmt: skip
            raise TicketError([TicketIssue("CASE", message)], where="case")
        fields["error_code"] = int(digits)
    elif case is not None:
        fields["text"] = case
    return to_ticket({**fields, "facts": _parse_facts(base, facts)})


class _Carrier(click.ParamType):  # type: ignore[type-arg]
    """A carrier of the loaded knowledge (checked once the knowledge is loaded)."""

    name = "carrier"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        state = ctx.find_object(_State) if ctx is not None else None
        carriers = state.base.carriers if state is not None else []
        if value not in carriers:
            self.fail(f"{value!r} is not one of {', '.join(carriers)}", param, ctx)
        return value


_carrier = click.option(
    "--carrier",
    type=_Carrier(),
    metavar="CARRIER",
    help="The customer's carrier, one the knowledge declares (diagnose facts lists them; "
    "default: the knowledge's; replay: rows naming none).",
)
_facts = click.option(
    "--fact", "facts", multiple=True, metavar="NAME=VALUE", help="A known fact (repeatable)."
)
_id = click.option("--id", "ticket_id", help="The ticket id, echoed in the diagnosis.")
_lang = click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True)


@cli.command()
@click.argument("case", required=False)
@_carrier
@_facts
@_id
@click.option("--json", "as_json", is_flag=True, help="Print the Diagnosis as JSON.")
@_lang
@click.pass_obj
def check(
    state: _State,
    case: str | None,
    carrier: str | None,
    facts: tuple[str, ...],
    ticket_id: str | None,
    as_json: bool,
    lang: str,
) -> None:
    """Diagnose one case: CASE is an error code (691) or the customer's words."""
    from . import render

    base = state.base
    diagnosis = base.diagnose(_ticket(base, case, carrier, facts, ticket_id))
    if as_json:
        _echo_json(diagnosis.model_dump(mode="json"))
    else:
        click.echo(render.summary(diagnosis, lang))


@cli.command()
@click.argument("case", required=False)
@_carrier
@_facts
@_id
@_lang
@click.option(
    "--save",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Keep the transcript, session and diagnosis in this JSON file (written after "
    "every input).",
)
@click.option(
    "--resume",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Continue a saved session; it is saved back to the same file unless --save names another.",
)
@click.pass_context
def session(
    ctx: click.Context,
    case: str | None,
    carrier: str | None,
    facts: tuple[str, ...],
    ticket_id: str | None,
    lang: str,
    save: Path | None,
    resume: Path | None,
) -> None:
    """Diagnose step by step: the engine asks, the agent answers. CASE is an error code,
    the customer's words, or nothing. Reads answers from the keyboard or a pipe."""
    from .._session import Session
    from .console import Console, read_saved

    base = ctx.obj.base
    transcript: list[dict[str, Any]] = []
    if resume is not None:
        if case is not None or carrier or facts or ticket_id:
            raise click.UsageError("--resume continues a saved case: give no CASE, --carrier, "
                                   "--fact or --id with it")  # fmt: skip
        text, transcript = read_saved(resume)
        consultation = Session.from_json(text, knowledge=base)
    else:
        consultation = Session(_ticket(base, case, carrier, facts, ticket_id), knowledge=base)
    console = Console(consultation, lang=lang, save=save or resume, transcript=transcript,
                      echo_input=not sys.stdin.isatty())  # fmt: skip
    ctx.exit(console.run())


@cli.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--map",
    "pairs",
    multiple=True,
    metavar="FIELD=COLUMN",
    help="The export column holding a field: text=故障描述 (repeatable).",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A TOML file with [columns] and [values.FIELD]; --map wins over it.",
)
@click.option("--encoding", help="The input's encoding (default: detected; utf-8 or gb18030).")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["csv", "jsonl"]),
    help="The input's format (default: from its suffix).",
)
@_carrier
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the rows here (.jsonl or .csv; default: JSONL to standard output).",
)
@click.option(
    "--report",
    "reports",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write a summary: report.html and/or report.json.",
)
@click.option(
    "--compact",
    is_flag=True,
    help="JSONL rows with each diagnosis by its ids and values, without the texts a person "
    "reads (about a quarter of the size).",
)
@click.option("--resume", is_flag=True, help="Continue an interrupted replay into --out.")
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=1,
    show_default=True,
    help="Processes that diagnose; 0: one per core.",
)
@click.option(
    "--update-frequencies",
    is_flag=True,
    help="Write the cause counts into the knowledge's frequencies.toml.",
)
@click.pass_obj
def replay(
    state: _State,
    source: Path,
    pairs: tuple[str, ...],
    mapping: Path | None,
    encoding: str | None,
    kind: str | None,
    carrier: str | None,
    out: Path | None,
    reports: tuple[Path, ...],
    compact: bool,
    resume: bool,
    workers: int,
    update_frequencies: bool,
) -> None:
    """Replay old fault tickets from a CSV or JSONL export: one output row per input row."""
    from .replay import run_replay

    run_replay(state.base, source, pairs=pairs, mapping=mapping, encoding=encoding, kind=kind,
               carrier=carrier, out=out, reports=reports, compact=compact, resume=resume,
               workers=workers, update_frequencies=update_frequencies)  # fmt: skip


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--eval",
    "corpus",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='Score the reading against a corpus: JSON lines of {"text": ..., "facts": {...}}, '
    "the facts a colleague reads in each note.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the readings or the score as JSON.")
@_lang
@click.pass_obj
def extract(state: _State, text: str | None, corpus: Path | None, as_json: bool, lang: str) -> None:
    """Show how a note is read, fact by fact (TEXT); or, with --eval FILE, how well a corpus
    of annotated notes is read: per-fact precision and recall, and every misread note.
    Exits 2 if a corpus line could not be scored (each one is listed; the rest are scored)."""
    from .._models import Ticket
    from . import render

    if (text is None) == (corpus is None):
        raise click.UsageError("give a TEXT to read, or --eval FILE, not both")
    base = state.base
    if text is not None:
        diagnosis = base.diagnose(Ticket(text=text))
        if as_json:
            _echo_json({k: r.model_dump(mode="json") for k, r in diagnosis.extracted.items()})
        else:
            click.echo("\n".join(render.reading_lines(diagnosis, lang)))
        return
    assert corpus is not None
    score = base.score_reading(_lines(corpus))
    if as_json:
        _echo_json(score.model_dump(mode="json"))
    else:
        click.echo("\n".join(render.score_lines(score, str(corpus), lang)))
    if score.bad_lines:
        sys.exit(2)


def _lines(path: Path) -> Iterator[str]:
    """The file's lines; one that is not UTF-8 is passed on as it is, to be reported."""
    with path.open("rb") as stream:
        for raw in stream:
            try:
                yield raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                yield "\ufffd not UTF-8"


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def codes(state: _State, as_json: bool) -> None:
    """List the dial-up error code catalog."""
    from . import render

    catalog = state.base.codes()
    if as_json:
        _echo_json([c.model_dump() for c in catalog])
        return
    for code in catalog:
        click.echo(render.code_line(code))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def facts(state: _State, as_json: bool) -> None:
    """List the facts a ticket may give, with their allowed values."""
    from . import render

    found = state.base.facts()
    if as_json:
        _echo_json([f.model_dump() for f in found])
        return
    for fact in found:
        click.echo(render.fact_lines(fact))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--markdown", is_flag=True, help="A Markdown table (docs/coverage.md).")
@click.pass_obj
def problems(state: _State, as_json: bool, markdown: bool) -> None:
    """List the problems the knowledge covers, with their sources."""
    from . import render

    found = state.base.problems()
    if as_json:
        _echo_json([p.model_dump() for p in found])
    elif markdown:
        click.echo(render.coverage(found), nl=False)
    else:
        for problem in found:
            click.echo(render.problem_line(problem))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def rules(state: _State, as_json: bool) -> None:
    """List the loaded rules, check that they validate and that every example passes."""
    from .._examples import check_examples
    from . import render

    base = state.base
    loaded = base.rules()
    results = check_examples(base)
    failed = [r for r in results if not r.passed]
    if as_json:
        report = {
            "rules": [r.model_dump() for r in loaded],
            "examples": len(results),
            "failed": [str(r) for r in failed],
        }
        _echo_json(report)
    else:
        for rule in loaded:
            click.echo(render.rule_line(rule))
        click.echo(f"{len(loaded)} rules valid; {len(results) - len(failed)} of {len(results)} "
                   "examples pass")  # fmt: skip
        for result in failed:
            click.echo(f"FAILED {result}")
    if failed:
        sys.exit(1)


def main() -> None:
    cli(prog_name="diagnose")
