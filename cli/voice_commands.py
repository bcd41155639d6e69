"""`citizen-help voice warm` and `voice say`: render the hotline's and Telegram's speech ahead of time."""

from __future__ import annotations

from typing import Annotated, cast

import typer

from assistant.settings import get_settings
from cli.progress import progress_bar
from knowledge.loader import KnowledgeError, load_knowledge, load_offices
from voice.hotline import phrases
from voice.speech.errors import VoiceError
from voice.speech.formats import FORMATS, FormatName
from voice.speech.shared import speaker_from_settings
from voice.speech.speaker import Speaker
from voice.speech.warm import PHONE_AND_TELEGRAM_FORMATS, texts_to_warm, warm

voice_app = typer.Typer(help="Speech for the phone hotline and Telegram voice answers.", no_args_is_help=True)

FormatOption = Annotated[list[str] | None, typer.Option(
    "--format", "-f", help=f"Repeat for several: {', '.join(FORMATS)}. Default: wav8k, mp3 and ogg_opus.")]
SlowOption = Annotated[bool, typer.Option("--slow", help="The slower pace (gTTS slow mode, slower offline voice).")]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"citizen-help: {message}", err=True)
    return typer.Exit(code=2)


def _formats(chosen: list[str] | None) -> list[FormatName]:
    unknown = [name for name in chosen or [] if name not in FORMATS]
    if unknown:
        raise _fail(f"unknown format {', '.join(unknown)}; choose from {', '.join(FORMATS)}")
    return cast(list[FormatName], chosen) if chosen else list(PHONE_AND_TELEGRAM_FORMATS)


def _speaker() -> Speaker:
    return speaker_from_settings(get_settings())


@voice_app.command("warm")
def warm_command(formats: FormatOption = None, slow: SlowOption = False) -> None:
    """Pre-render every guide's short answer and the fixed prompts; print the cache hit rate. When the hotline's
    format is among those asked for, also everything a call is likely to play, at the hotline's pace."""
    try:
        kb = load_knowledge()
    except KnowledgeError as exc:
        raise _fail(f"the knowledge base is invalid:\n{exc}") from None
    settings = get_settings()
    speaker = _speaker()
    chosen = _formats(formats)
    texts = texts_to_warm(guide.short_answer for guide in kb.guides.values())
    phone_texts = phrases.texts_to_warm(kb.guides.values(), load_offices(settings.offices_file))
    try:
        with progress_bar() as report_progress:
            report = warm(speaker, texts, chosen, slow=slow, progress=report_progress)
            stats = speaker.stats
            phone = None
            if settings.hotline_audio_format in chosen:
                phone = warm(speaker, phone_texts, [settings.hotline_audio_format],
                             slow=settings.hotline_slow_speech,
                             progress=lambda _, done, total: report_progress("rendering the hotline", done, total))
    except VoiceError as exc:
        raise _fail(str(exc)) from None
    median = f"{report.median_miss_ms:.0f} ms" if report.median_miss_ms is not None else "n/a"
    typer.echo(f"{report.renders} files for {len(texts)} texts in {speaker.cache.root}: cache hit rate "
               f"{report.hit_rate:.0%} ({report.hits} hits, {report.misses} new); median new render {median}; "
               f"voices: {stats.online_renders} online, {stats.offline_renders} offline")
    if phone is not None:
        voices = speaker.stats
        typer.echo(f"hotline: {phone.renders} texts in {settings.hotline_audio_format}: cache hit rate "
                   f"{phone.hit_rate:.0%} ({phone.hits} hits, {phone.misses} new); voices: "
                   f"{voices.online_renders - stats.online_renders} online, "
                   f"{voices.offline_renders - stats.offline_renders} offline")


@voice_app.command("say")
def say_command(text: Annotated[str, typer.Argument(help="Chinese text to speak.")],
                fmt: Annotated[str, typer.Option("--format", "-f", help=", ".join(FORMATS))] = "mp3",
                slow: SlowOption = False) -> None:
    """Render one text and print the audio file's path, for listening checks."""
    (audio_format,) = _formats([fmt])
    try:
        typer.echo(_speaker().render(text, audio_format, slow=slow))
    except VoiceError as exc:
        raise _fail(str(exc)) from None


def register(app: typer.Typer) -> None:
    app.add_typer(voice_app, name="voice")
