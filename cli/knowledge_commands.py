"""`citizen-help ask`, `train` and `eval`: the matcher from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from assistant.settings import get_settings
from cli.progress import progress_bar
from knowledge import evaluate
from knowledge.loader import KnowledgeError, load_knowledge
from knowledge.matcher import Matcher, load_or_train

_WARM_UP = "身份证丢了怎么补办"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


def _matcher(force: bool = False) -> Matcher:
    try:
        kb = load_knowledge()
    except KnowledgeError as exc:
        raise _fail(f"the knowledge base is invalid:\n{exc}") from None
    with progress_bar() as report:
        return load_or_train(get_settings().effective_model_dir, kb, progress=report, force=force)


def ask(question: Annotated[str, typer.Argument(help="The citizen's question, in any wording.")]) -> None:
    """Match one question: the decision, the top 3 and the short answer."""
    matcher = _matcher()
    decision = matcher.decide(question)
    console = Console()
    console.print(f"decision: [bold]{decision.label}[/] ({decision.action}, {decision.reason}, "
                  f"confidence {decision.confidence:.2f})")
    for rank, scored in enumerate(decision.top3, 1):
        guide = matcher.kb.guides.get(scored.id)
        console.print(f"  {rank}. {scored.id} {guide.title if guide else ''} {scored.score:.3f}")
    guide = matcher.kb.guides.get(decision.label)
    if guide is not None:
        console.print(f"answer: {guide.short_answer}")


def train(force: Annotated[bool, typer.Option(help="Retrain even if a cached model matches.")] = True) -> None:
    """Train the matcher on the guides' questions and cache it on disk."""
    matcher = _matcher(force=force)
    typer.echo(f"trained on {len(matcher.kb.guides)} guides, {len(matcher.labels)} labels; "
               f"cached in {get_settings().effective_model_dir}")


def eval_command(
    file: Annotated[Path, typer.Argument(help="JSON lines: {\"text\": ..., \"label\": ...}")],
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object on the last line.")] = False,
) -> None:
    """Score the matcher on a labelled file (top1, top3, accuracy, special labels, latency)."""
    matcher = _matcher()
    try:
        examples = evaluate.read_examples(file, matcher.kb.labels)
    except evaluate.EvalFileError as exc:
        raise _fail(str(exc)) from None
    matcher.decide(_WARM_UP)
    outcomes = evaluate.run(examples, matcher.decide)
    summary = evaluate.summarise(outcomes)
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    _print_table(summary, evaluate.confusions(outcomes))


def _print_table(summary: dict, confusions: list[tuple[str, str, int]]) -> None:
    console = Console()
    table = Table(title=f"{summary['n']} questions")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("top1", "top3", "accuracy"):
        table.add_row(key, f"{summary[key]}")
    for label, figures in summary["per_label"].items():
        table.add_row(f"{label} precision / recall", f"{figures['precision']} / {figures['recall']}")
    table.add_row("latency p50 / p99 (ms)", f"{summary['latency_ms']['p50']} / {summary['latency_ms']['p99']}")
    console.print(table)
    if confusions:
        mistakes = Table(title="most frequent mistakes")
        for column in ("expected", "decided", "count"):
            mistakes.add_column(column)
        for gold, got, count in confusions:
            mistakes.add_row(gold, got, str(count))
        console.print(mistakes)


def register(app: typer.Typer) -> None:
    app.command()(ask)
    app.command()(train)
    app.command("eval")(eval_command)
