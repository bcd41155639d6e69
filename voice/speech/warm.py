"""Pre-render the audio a call is most likely to need, so the first caller does not wait for it."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from voice.prompts import PROMPTS
from voice.speech.formats import FormatName
from voice.speech.speaker import Speaker

PHONE_AND_TELEGRAM_FORMATS: tuple[FormatName, ...] = ("wav8k", "mp3", "ogg_opus")
Progress = Callable[[str, int, int], None]


@dataclass
class WarmReport:
    renders: int = 0
    hits: int = 0
    misses: int = 0
    miss_ms: list[float] = field(default_factory=list)  # time of each render that was not a cache hit

    @property
    def hit_rate(self) -> float:
        return self.hits / self.renders if self.renders else 0.0

    @property
    def median_miss_ms(self) -> float | None:
        return statistics.median(self.miss_ms) if self.miss_ms else None


def texts_to_warm(short_answers: Iterable[str]) -> list[str]:
    """The fixed prompts, then the guides' short answers, without duplicates."""
    return list(dict.fromkeys([*PROMPTS.values(), *short_answers]))


def warm(speaker: Speaker, texts: list[str], formats: Iterable[FormatName] = PHONE_AND_TELEGRAM_FORMATS, *,
         slow: bool = False, progress: Progress | None = None) -> WarmReport:
    """Render every text in every format; report cache hits and the time of each new render."""
    jobs = [(text, fmt) for text in texts for fmt in formats]
    report = WarmReport()
    for done, (text, fmt) in enumerate(jobs, 1):
        misses_before = speaker.stats.misses
        started = time.perf_counter()
        speaker.render(text, fmt, slow=slow)
        if speaker.stats.misses > misses_before:
            report.misses += 1
            report.miss_ms.append((time.perf_counter() - started) * 1000)
        else:
            report.hits += 1
        report.renders += 1
        if progress:
            progress("rendering speech", done, len(jobs))
    return report


def prepare(speaker: Speaker, phone_format: FormatName | None, *, slow: bool = False) -> list[tuple[bool, str]]:
    """At start-up: each voice that cannot speak, then the hotline's fixed prompts rendered ahead of time
    (phone_format None: no hotline). Returns (is a warning, line) to print."""
    lines = [(True, f"voice {name} is unavailable: {problem}") for name, problem in speaker.availability().items()
             if problem is not None]
    speaking = [voice.name for voice in speaker.offline if voice.available() is None]
    if not speaking:
        return [*lines, (True, "no offline voice can speak: read-aloud, Telegram voice and the hotline's audio are "
                               "off (pip install -e . installs them)")]
    if phone_format is not None:
        report = warm(speaker, list(PROMPTS.values()), [phone_format], slow=slow)
        lines.append((False, f"voice: {', '.join(speaking)}; the hotline's {report.renders} prompts ready "
                             f"({report.misses} rendered now)"))
    else:
        lines.append((False, f"voice: {', '.join(speaking)}"))
    return lines
