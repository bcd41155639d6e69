"""Hotline benchmark: how fast the first TwiML answers a call, and how much of what callers hear comes from the
audio cache after `citizen-help voice warm`.

    python -m bench.hotline [--calls 100] [--dialogues 64] [--cache DIR] [--online] [--durations]

1. Runs the real `citizen-help voice warm` on a fresh cache (or reuses --cache DIR).
2. Times 100 signed `POST /voice/twilio/incoming` webhooks, in process (httpx over ASGI, the app started with its
   lifespan, a SQLite file, the request signature checked): from the request to the whole first TwiML document.
   Also one call on an empty cache, where the greeting must be rendered while the caller waits.
3. Walks typical calls (each guide's first training question: greeting, the spoken question, 2 for materials,
   3 for where and when, 0 for a person, with one officer on duty) and counts the audio the hotline served from the
   cache against what it had to render during the call.
4. Checks the offline voice on every sentence the hotline warms: pace, loudest peak, switches to English.
5. Walks the journeys of issue 22 and prints how long each sound lasts, measured on the files the voice wrote
   (greeting, answers and their menus, pages, the callback steps), and the longest page of every guide.
   `--durations` runs only this part (on --cache, or a fresh cache rendered as the calls go).

Google's voice is off unless --online (this machine may have no route to Google); the offline voice is used then.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
from twilio.request_validator import RequestValidator

from api.app import create_app
from assistant import callback_steps, migrate, texts
from assistant.dialogue import CALLBACK_CHOICES, SPOKEN_DETAIL_CHOICES
from assistant.matching import load_matcher
from assistant.services import Services
from assistant.settings import Settings
from assistant.store import officers as officer_store
from knowledge.loader import load_offices
from voice.hotline import phrases
from voice.hotline.calls import Hotline
from voice.hotline.simulator import BASE_URL, CallSimulator, in_process
from voice.speech.espeak import EspeakVoice
from voice.speech.formats import duration_seconds, read
from voice.speech.numbers import spell_numbers
from voice.speech.pinyin import to_numbered_pinyin
from voice.speech.shared import speaker_from_settings

TOKEN = "bench-token"
ROOT = Path(__file__).resolve().parents[1]


def _settings(data_dir: Path, cache: Path, online: bool) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir, voice_cache_dir=cache, gtts_enabled=online,  # type: ignore[call-arg]
                    twilio_auth_token=TOKEN, model_dir=ROOT / "data" / "model")


def warm_with_the_cli(cache: Path, online: bool) -> str:
    env = {**os.environ, "VOICE_CACHE_DIR": str(cache), "GTTS_ENABLED": str(online).lower(),
           "MODEL_DIR": str(ROOT / "data" / "model")}
    started = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "citizen-help"), "voice", "warm"], env=env, cwd=ROOT,
                          capture_output=True, text=True, check=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    return f"{' | '.join(lines)} ({time.perf_counter() - started:.0f} s)"


async def first_twiml_ms(settings: Settings, calls: int) -> list[float]:
    app = create_app(settings, matcher=load_matcher(settings))
    url = f"{BASE_URL}/voice/twilio/incoming"
    timings = []
    async with in_process(app) as client:
        for n in range(calls):
            form = {"CallSid": f"CA{n:032d}", "From": f"+86138{n:08d}", "To": "+8612345"}
            headers = {"X-Twilio-Signature": RequestValidator(TOKEN).compute_signature(url, form)}
            started = time.perf_counter()
            response = await client.post(url, data=form, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and "<Play>" in response.text, response.text
    return timings


async def walk_calls(settings: Settings, dialogues: int) -> tuple[int, int, Counter[str]]:
    """(hits, misses, what the misses were) over typical calls."""
    app = create_app(settings, matcher=load_matcher(settings))
    async with in_process(app) as client:
        services = Services.of(app)
        runtime, audio = services.runtime, services.part(Hotline).audio
        with runtime.sessions() as session:
            officer_store.create(session, username="duty", name="值班员", role="officer", password_hash="!",
                                 on_duty=True)
            session.commit()
        before = (audio.stats.hits, audio.stats.misses)
        missed: Counter[str] = Counter()
        serve = audio.file_for

        def noting_misses(text: str) -> Path | None:
            if audio.speaker.cached(text, audio.fmt, audio.slow) is None:
                missed[_kind(text)] += 1
            return serve(text)

        audio.file_for = noting_misses
        for n, guide in enumerate(list(runtime.matcher.kb.guides.values())[:dialogues]):
            call = CallSimulator(client, caller=f"+86139{n:08d}", token=TOKEN, text_of=audio.text_of)
            await call.start()
            await call.say(guide.questions[0])
            if call.step.listen_to is not None:  # answered or asked which: go on with the keys a caller uses
                for key in ("2", "3", "0"):
                    if call.step.listen_to is None:
                        break
                    await call.press(key)
            await call.hang_up()
        hits, misses = audio.stats.hits - before[0], audio.stats.misses - before[1]
    return hits, misses, missed


def offline_voice_check(cache: Path) -> str:
    """What can be checked of the offline voice without ears, over every sentence the hotline warms: the pace in
    Chinese characters a minute, the loudest peak (phone codecs clip at 0 dBFS), and any switch to English."""
    settings = _settings(cache.parent / "check", cache, online=False)
    speaker = speaker_from_settings(settings)
    kb = load_matcher(settings).kb
    paces, peaks, english = [], [], 0
    espeak = EspeakVoice()
    for text in phrases.texts_to_warm(kb.guides.values(), load_offices(settings.offices_file)):
        path = speaker.render(text, "wav16k")  # lossless, for the measurement
        characters = len(re.findall(r"[\u4e00-\u9fff]", spell_numbers(text)))
        paces.append(characters / duration_seconds(path) * 60)
        samples, _ = read(path)
        peaks.append(20 * math.log10(float(np.max(np.abs(samples)))))
        english += "(en)" in espeak.phonemes(to_numbered_pinyin(text))
    quartiles = statistics.quantiles(paces, n=4)
    return (f"{len(paces)} sentences: pace median {statistics.median(paces):.0f} characters a minute (quartiles "
            f"{quartiles[0]:.0f}-{quartiles[2]:.0f}, range {min(paces):.0f}-{max(paces):.0f}); loudest peak "
            f"{max(peaks):.1f} dBFS; sentences switching to English: {english}")


def _kind(words: str) -> str:
    """Misses grouped: the queue sentence differs by place; others by their first words."""
    return "the place in the queue" if "排在" in words or "前面还有" in words else words[:14] + "…"


# (journey, officer on duty, caller's number withheld, steps): a step is ("say", words), ("press", keys) or
# ("silence", "").
JOURNEYS: list[tuple[str, bool, bool, list[tuple[str, str]]]] = [
    ("question, answer, materials in pages, where", True, False,
     [("say", "身份证到期了怎么换"), ("press", "2"), ("press", "1"), ("press", "3")]),
    ("unclear twice with an officer on duty", True, False, [("say", "嗯嗯"), ("say", "那个那个")]),
    ("silence twice", True, False, [("silence", ""), ("silence", "")]),
    ("0 with nobody on duty, callback by voice", False, True,
     [("press", "0"), ("press", "1"), ("say", "幺三八一二三四五六七八"), ("press", "1")]),
    ("callback: silence and 0 at each step", False, True,
     [("press", "0"), ("silence", ""), ("press", "0"), ("press", "1"), ("silence", ""), ("press", "13812345678"),
      ("press", "2"), ("press", "13900001111"), ("silence", ""), ("press", "1")]),
    ("thanks, then quiet", False, False, [("say", "老年卡怎么办"), ("say", "谢谢"), ("silence", "")]),
]


async def journey_durations(scratch: Path, cache: Path, online: bool) -> list[str]:
    """Each journey's sounds with their measured length (the file the voice wrote), as a caller hears them; each
    journey on a database of its own."""
    lines = []
    for n, (name, duty, withheld, steps) in enumerate(JOURNEYS):
        settings = _settings(scratch / f"journey-{n}", cache, online)
        migrate.upgrade(settings.effective_database_url)
        app = create_app(settings, matcher=load_matcher(settings))
        async with in_process(app) as client:
            services = Services.of(app)
            audio = services.part(Hotline).audio
            if duty:
                with services.runtime.sessions() as session:
                    officer_store.create(session, username="duty", name="值班员", role="officer",
                                         password_hash="!", on_duty=True)
                    session.commit()
            call = CallSimulator(client, caller="anonymous" if withheld else "+8613812345678", token=TOKEN,
                                 text_of=audio.text_of)
            lines.append(f"journey: {name}")
            step = await call.start()
            for verb, words in [("start", ""), *steps]:
                if verb != "start":
                    step = await (call.keep_silent() if verb == "silence" else getattr(call, verb)(words))
                sounds = [(said, duration_seconds(audio.speaker.cache.root / urlsplit(url).path.rsplit("/", 1)[-1]))
                          for url, said in zip(step.audio, step.said, strict=True)]
                end = "dial" if step.dial else "queue" if step.enqueue else "hang up" if step.hung_up else "listen"
                lines.append(f"  {verb} {words}".rstrip() + f" -> {end}, {sum(s for _, s in sounds):.1f} s")
                lines += [f"      {seconds:5.1f} s  {said}" for said, seconds in sounds]
            await call.hang_up()
    return lines


def longest_pages(settings: Settings) -> str:
    """The longest page (seconds, measured) of every guide's answer, materials and where-and-when, and of the menus."""
    speaker = speaker_from_settings(settings)
    kb = load_matcher(settings).kb
    offices = load_offices(settings.offices_file)
    longest: dict[str, tuple[float, str]] = {}
    for guide in kb.guides.values():
        for kind, text in (("answer", texts.answer(guide, past_review=False)), ("materials", texts.materials(guide)),
                           ("where", texts.where(guide, offices.get(guide.office)))):
            for page in phrases.pages([phrases.for_listening(text)]):
                seconds = sum(duration_seconds(speaker.now(sound, "mp3").path) for sound in page)
                if seconds > longest.get(kind, (0.0, ""))[0]:
                    longest[kind] = (seconds, guide.id)
    menus = [phrases.menu(c) for c in (SPOKEN_DETAIL_CHOICES, CALLBACK_CHOICES, callback_steps.confirm_choices("1"))]
    menus.append(f"还有3项，{phrases.MORE_KEYS}")
    menu = max(duration_seconds(speaker.now(m, "mp3").path) for m in menus)
    return ", ".join(f"{kind} {seconds:.1f} s ({guide})" for kind, (seconds, guide) in longest.items()) + \
        f"; longest menu {menu:.1f} s ({speaker.neural.name if speaker.neural else 'espeak-ng'})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=100)
    parser.add_argument("--dialogues", type=int, default=64)
    parser.add_argument("--cache", type=Path, help="a voice cache to keep between runs (default: a fresh one); the "
                        "hit rate then also counts the queue sentences earlier runs rendered")
    parser.add_argument("--online", action="store_true", help="let gTTS reach Google")
    parser.add_argument("--durations", action="store_true", help="only the journeys' measured durations")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        cache = args.cache or Path(scratch) / "voice-cache"
        if args.durations:
            print("\n".join(asyncio.run(journey_durations(Path(scratch), cache, args.online))), flush=True)
            print(f"longest pages: {longest_pages(_settings(Path(scratch) / 'pages', cache, args.online))}",
                  flush=True)
            return
        print(f"voice warm: {warm_with_the_cli(cache, args.online)}", flush=True)

        for name, data_dir, voice_cache, calls in (("empty cache, first call", "cold", Path(scratch) / "cold", 1),
                                                   ("after warm", "warm", cache, args.calls)):
            settings = _settings(Path(scratch) / data_dir, voice_cache, args.online)
            migrate.upgrade(settings.effective_database_url)
            timings = asyncio.run(first_twiml_ms(settings, calls))
            median = statistics.median(timings)
            spread = f", p90 {statistics.quantiles(timings, n=10)[-1]:.1f} ms, max {max(timings):.1f} ms" \
                if calls >= 10 else ""
            print(f"incoming webhook to first TwiML, {name}: median {median:.1f} ms over {calls} requests{spread}",
                  flush=True)

        settings = _settings(Path(scratch) / "walk", cache, args.online)
        migrate.upgrade(settings.effective_database_url)
        hits, misses, missed = asyncio.run(walk_calls(settings, args.dialogues))
        total = hits + misses
        print(f"audio cache hit rate over {args.dialogues} typical calls: {hits / total:.1%} "
              f"({hits} of {total} sentences from the cache)", flush=True)
        if missed:
            print("rendered during calls: " + ", ".join(f"{kind} x{count}" for kind, count in missed.most_common(8)))
        print(f"offline voice check: {offline_voice_check(cache)}", flush=True)


if __name__ == "__main__":
    main()
