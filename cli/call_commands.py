"""`citizen-help call`: try the phone hotline in the terminal. Type what the caller says, or a digit for a key;
an empty line is silence; q hangs up. The call walks the same webhook routes a carrier would."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated

import httpx
import typer
from pydantic import SecretStr

from assistant import migrate
from assistant.privacy import mask_phone, parse_phone
from assistant.services import Services
from assistant.settings import Settings, get_settings
from voice.hotline.calls import Hotline
from voice.hotline.simulator import CallSimulator, Step, in_process

HANG_UP = {"q", "quit", "挂机"}
PROMPT = "来电人（说话直接打字，按键打数字，回车=不说话，q=挂机）> "


def _show(step: Step) -> None:
    for words in step.said:
        typer.echo(f"热线：{words}")


async def _listen(client: httpx.AsyncClient, step: Step, play: bool) -> None:
    """Play the step's audio files aloud with ffplay, for a listening check."""
    if not play or shutil.which("ffplay") is None:
        return
    for url in step.audio:
        response = await client.get(url)
        with tempfile.NamedTemporaryFile(suffix=Path(url.split("?")[0]).suffix) as sound:
            sound.write(response.content)
            sound.flush()
            subprocess.run(["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet", sound.name], check=False)


def _ask(question: str) -> str:
    try:
        return input(question).strip()
    except EOFError:
        return "q"


async def _next(call: CallSimulator, step: Step) -> Step | None:
    """What the caller does with this step; None when the call is over."""
    if step.hung_up:
        return None
    if step.dial is not None:
        typer.echo(f"（转接值班电话 {mask_phone(step.dial[0])}）")
        return await call.duty_phone(answered=_ask("值班电话接通了吗？[y/N] ").lower().startswith("y"))
    if step.enqueue is not None:
        typer.echo("（排队等工作人员）")
        if _ask("回车=继续等，q=挂机 > ").lower() in HANG_UP:
            return None
        return await call.wait()
    said = _ask(PROMPT)
    if said.lower() in HANG_UP:
        return None
    if not said:
        return await call.keep_silent()
    if said.isdigit() or set(said) <= set("0123456789*#"):
        return await call.press(said)
    return await call.say(said)


async def _simulate(settings: Settings, caller: str, play: bool) -> None:
    from api.app import create_app  # the web stack loads only for this command

    # The simulator is the carrier: it signs its webhooks, so the caller's number counts as a carrier's would.
    if settings.twilio_auth_token is None:
        settings = settings.model_copy(update={"twilio_auth_token": SecretStr(secrets.token_urlsafe(24))})
    app = create_app(settings)
    async with in_process(app) as client:
        token = settings.twilio_auth_token.get_secret_value() if settings.twilio_auth_token else None
        call = CallSimulator(client, caller=caller, token=token, text_of=Services.of(app).part(Hotline).audio.text_of)
        typer.echo(f"模拟来电：{mask_phone(parse_phone(caller) or caller)}")
        step: Step | None = await call.start()
        while step is not None:
            _show(step)
            await _listen(client, step, play)
            step = await _next(call, step)
        await call.hang_up()
        typer.echo("（通话结束）")


def call(
    caller: Annotated[str, typer.Option("--caller", help="The caller's number (a sample by default).")]
    = "+8613800000000",
    play: Annotated[bool, typer.Option("--play", help="Also play the audio files (needs ffplay and a speaker).")]
    = False,
    scratch: Annotated[bool, typer.Option(
        "--scratch", help="A throwaway database: no case or callback reaches the real staff console.")] = False,
) -> None:
    """Simulate a call to the hotline: hear or read the prompts, answer by typing. Cases it opens go to the
    configured database (the staff console sees them) unless --scratch."""
    settings = get_settings()
    with tempfile.TemporaryDirectory() as scratch_dir:
        if scratch:
            settings = settings.model_copy(update={"database_url": f"sqlite:///{Path(scratch_dir) / 'call.db'}"})
        migrate.upgrade(settings.effective_database_url)
        asyncio.run(_simulate(settings, caller, play))


def register(app: typer.Typer) -> None:
    app.command()(call)
