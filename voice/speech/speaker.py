"""Speaker: text to an audio file. The voices in order: gTTS when the operator enables it, the neural Mandarin voice
(the offline default), espeak-ng as the last fallback; every result cached, every file naming its voice."""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Protocol

import numpy as np

from voice.speech.cache import AudioCache
from voice.speech.errors import AudioToolError, OnlineVoiceError, SpeechRequestError, VoiceError, VoiceUnavailable
from voice.speech.espeak import EspeakVoice
from voice.speech.formats import AudioFormat, FormatName, convert, duration_seconds, get_format, write
from voice.speech.google import GoogleVoice
from voice.speech.neural import SAMPLE_RATE, NeuralVoice
from voice.speech.numbers import spell_numbers
from voice.speech.streaming import Mp3Stream

log = logging.getLogger(__name__)


class LocalVoice(Protocol):
    name: str

    @property
    def voice_id(self) -> str: ...

    def speed_id(self, slow: bool) -> str: ...

    def available(self) -> str | None: ...

    def synthesize(self, text: str, *, slow: bool = False) -> tuple[np.ndarray, int]: ...


Voice = GoogleVoice | LocalVoice


@dataclass(frozen=True)
class Rendered:
    path: Path
    voice: str  # the voice's name: fastspeech2-baker, gtts or espeak-ng (the X-Voice header)
    cached: bool  # it was already there


@dataclass(frozen=True)
class Streamed:
    voice: str
    chunks: Iterator[bytes]  # the MP3 bytes, as they are made


@dataclass
class SpeechStats:
    hits: int = 0
    misses: int = 0
    online_renders: int = 0
    offline_renders: int = 0  # by the neural voice or espeak-ng
    fallback_renders: int = 0  # by espeak-ng, because the neural voice could not
    online_failures: int = 0

    @property
    def hit_rate(self) -> float:
        """Share of render() calls served from the cache (0.0 before the first call)."""
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class Speaker:
    """Renders text to cached audio files; never raises for network trouble. One per process (voice.speech.shared)."""

    def __init__(self, cache_dir: Path, *, online: bool = False, online_timeout: float = 3.0,
                 online_retry_after: float = 60.0, neural: NeuralVoice | None = None,
                 espeak: LocalVoice | None = None, use_neural: bool = True) -> None:
        self.cache = AudioCache(Path(cache_dir))
        self.online = GoogleVoice(timeout=online_timeout, retry_after=online_retry_after) if online else None
        self.neural: LocalVoice | None = (neural or NeuralVoice()) if use_neural else None
        self.espeak: LocalVoice = espeak or EspeakVoice()
        self._stats = SpeechStats()
        self._lock = threading.Lock()
        self._pending: set[tuple[str, str, bool]] = set()
        self._background: ThreadPoolExecutor | None = None

    @property
    def offline(self) -> list[LocalVoice]:
        """The offline voices, best first."""
        return [voice for voice in (self.neural, self.espeak) if voice is not None]

    @property
    def stats(self) -> SpeechStats:
        """A snapshot of the counters."""
        with self._lock:
            return dataclasses.replace(self._stats)

    def availability(self) -> dict[str, str | None]:
        """Each voice's name and None if it can speak, else why not (the online voice is not asked)."""
        voices: dict[str, str | None] = {self.online.name: None} if self.online is not None else {}
        return voices | {voice.name: voice.available() for voice in self.offline}

    def render(self, text: str, fmt: FormatName = "mp3", slow: bool = False, *, network: bool = True) -> Path:
        """The path of `text` spoken in `fmt` (see speak())."""
        return self.speak(text, fmt, slow, network=network).path

    def speak(self, text: str, fmt: FormatName = "mp3", slow: bool = False, *, network: bool = True) -> Rendered:
        """`text` spoken in `fmt` by the best voice that can; never raises for network trouble.

        network=False never waits on the online voice: its cached file if there is one, else an offline voice,
        for a listener who is waiting.
        Raises a VoiceError only when no voice can do it: SpeechRequestError (empty text, unknown format),
        VoiceUnavailable (no offline voice can load), AudioToolError (the audio could not be written).
        """
        text = text.strip()
        if not text:
            raise SpeechRequestError("there is no text to speak")
        audio_format = get_format(fmt)
        online = self.online
        if online is not None:
            online_path = self._path(text, audio_format, slow, online)
            if online_path.exists():
                return self._count(Rendered(online_path, online.name, True), hits=1)
            # While Google answers, its voice is worth a render even when offline audio is already cached.
            if network and online.ready() and self._render_online(online, text, audio_format, slow, online_path):
                return self._count(Rendered(online_path, online.name, False), misses=1, online_renders=1)
        for voice in self.offline:
            path = self._path(text, audio_format, slow, voice)
            if path.exists():
                return self._count(Rendered(path, voice.name, True), hits=1)
        return self._render_offline(text, audio_format, slow)

    def now(self, text: str, fmt: FormatName = "mp3", slow: bool = False) -> Rendered:
        """For a listener who is waiting (a caller, a citizen who pressed 读给我听): the cached file, else an offline
        voice's now; the online voice, if it is on, renders it in the background for the next listener."""
        found = self.find(text, fmt, slow)
        if found is not None:
            return self._count(found, hits=1)
        rendered = self.speak(text, fmt, slow, network=False)
        self._render_online_later(text, fmt, slow)
        return rendered

    def stream_now(self, text: str, slow: bool = False) -> Streamed | None:
        """For a listener who is waiting on MP3 that is not cached yet: the neural voice's audio as it is
        synthesised, kept in the cache once whole. None when the neural voice cannot start (use now())."""
        text, neural = text.strip(), self.neural
        if not text or not isinstance(neural, NeuralVoice) or neural.available() is not None:
            return None
        pieces = neural.stream(text, slow=slow)
        try:
            first = next(pieces)  # a failure here still leaves time for another voice
        except (VoiceUnavailable, StopIteration) as exc:
            log.warning("the neural voice cannot start, using the next voice: %s", exc)
            return None
        self._count(Rendered(self._path(text, get_format("mp3"), slow, neural), neural.name, False), misses=1,
                    offline_renders=1)
        self._render_online_later(text, "mp3", slow)
        return Streamed(neural.name, self._streamed(chain([first], pieces), text, slow, neural))

    def _streamed(self, pieces: Iterator[np.ndarray], text: str, slow: bool, neural: NeuralVoice,
                  ) -> Iterator[bytes]:
        encoder = Mp3Stream(SAMPLE_RATE)
        try:
            yield from encoder.chunks(pieces)
        except VoiceUnavailable as exc:  # the bytes already sent stand; the rest of this answer cannot follow
            log.error("the neural voice failed in the middle of reading aloud: %s", exc)
            return
        if encoder.whole:
            with self.cache.writing(self._path(text, get_format("mp3"), slow, neural)) as temp:
                temp.write_bytes(encoder.whole)

    def find(self, text: str, fmt: FormatName = "mp3", slow: bool = False) -> Rendered | None:
        """The file already rendered for `text`, the best voice's first; None when it would have to be rendered.
        Not counted in the stats."""
        text, audio_format = text.strip(), get_format(fmt)
        voices: list[Voice] = [self.online] if self.online is not None else []
        for voice in [*voices, *self.offline]:
            path = self._path(text, audio_format, slow, voice)
            if path.exists():
                return Rendered(path, voice.name, True)
        return None

    def cached(self, text: str, fmt: FormatName = "mp3", slow: bool = False) -> Path | None:
        """The path find() finds, or None."""
        found = self.find(text, fmt, slow)
        return found.path if found is not None else None

    def close(self) -> None:
        """Wait for the background renders already started (they may be talking to Google); drop the rest."""
        with self._lock:
            background, self._background = self._background, None
        if background is not None:
            background.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            self._pending.clear()

    def _path(self, text: str, audio_format: AudioFormat, slow: bool, voice: Voice) -> Path:
        key = AudioCache.key(text, voice.voice_id, audio_format.name, voice.speed_id(slow))
        return self.cache.path(key, audio_format.suffix)

    def _render_online(self, online: GoogleVoice, text: str, audio_format: AudioFormat, slow: bool,
                       target: Path) -> bool:
        """True if the online voice wrote `target`; any failure is logged and counted, never raised."""
        try:
            # Our own number spelling, so a hotline number sounds the same in every voice (幺二三四五).
            mp3 = online.synthesize_mp3(spell_numbers(text), slow=slow)
            with tempfile.TemporaryDirectory() as scratch:
                source = Path(scratch) / "online.mp3"
                source.write_bytes(mp3)
                if duration_seconds(source) <= 0:
                    raise OnlineVoiceError("the online voice sent something that is not audio")
                with self.cache.writing(target) as temp:
                    if audio_format.name == "mp3":
                        temp.write_bytes(mp3)  # already MP3: no second lossy encoding
                    else:
                        convert(source, temp, audio_format)
        except (OnlineVoiceError, AudioToolError) as exc:
            log.warning("online voice unavailable, using the offline voice: %s", exc)
            self._bump(online_failures=1)
            return False
        return True

    def _render_offline(self, text: str, audio_format: AudioFormat, slow: bool) -> Rendered:
        failures: list[str] = []
        for voice in self.offline:
            try:
                samples, rate = voice.synthesize(text, slow=slow)
            except VoiceUnavailable as exc:
                log.warning("the %s voice cannot speak, trying the next one: %s", voice.name, exc)
                failures.append(str(exc))
                continue
            path = self._path(text, audio_format, slow, voice)
            with self.cache.writing(path) as temp:
                write(samples, rate, temp, audio_format)
            fallback = int(voice is not self.offline[0])
            return self._count(Rendered(path, voice.name, False), misses=1, offline_renders=1,
                               fallback_renders=fallback)
        raise VoiceUnavailable("no offline voice can speak: " + "; ".join(failures))

    def _render_online_later(self, text: str, fmt: FormatName, slow: bool) -> None:
        online = self.online
        if online is None or not online.ready():
            return
        job = (text.strip(), fmt, slow)
        with self._lock:
            if job in self._pending:
                return
            self._pending.add(job)
            if self._background is None:
                self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="online-voice")
            background = self._background
        background.submit(self._render_in_background, job)

    def _render_in_background(self, job: tuple[str, str, bool]) -> None:
        text, fmt, slow = job
        try:
            self.speak(text, fmt, slow)  # type: ignore[arg-type]  # fmt came from a FormatName
        except VoiceError as exc:
            log.warning("background render failed: %s", exc)
        finally:
            with self._lock:
                self._pending.discard(job)

    def _count(self, rendered: Rendered, **deltas: int) -> Rendered:
        self._bump(**deltas)
        return rendered

    def _bump(self, **deltas: int) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self._stats, name, getattr(self._stats, name) + delta)
