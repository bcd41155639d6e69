"""Speaker: text to an audio file, online voice first, offline voice as a silent fallback, every result cached."""

from __future__ import annotations

import dataclasses
import logging
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from voice.cache import AudioCache
from voice.errors import AudioToolError, OnlineVoiceError, SpeechRequestError
from voice.formats import AudioFormat, FormatName, convert, duration_seconds, get_format
from voice.numbers import spell_numbers
from voice.offline import EspeakVoice
from voice.online import GoogleVoice

if TYPE_CHECKING:
    from assistant.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class SpeechStats:
    hits: int = 0
    misses: int = 0
    online_renders: int = 0
    offline_renders: int = 0
    online_failures: int = 0

    @property
    def hit_rate(self) -> float:
        """Share of render() calls served from the cache (0.0 before the first call)."""
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class Speaker:
    """Renders text to cached audio files; never raises for network trouble."""

    def __init__(self, cache_dir: Path, *, online: bool = True, online_timeout: float = 5.0,
                 online_retry_after: float = 60.0, espeak_binary: str = "espeak-ng") -> None:
        self.cache = AudioCache(Path(cache_dir))
        self.online = GoogleVoice(timeout=online_timeout, retry_after=online_retry_after) if online else None
        self.offline = EspeakVoice(espeak_binary)
        self._stats = SpeechStats()
        self._lock = threading.Lock()

    @property
    def stats(self) -> SpeechStats:
        """A snapshot of the counters."""
        with self._lock:
            return dataclasses.replace(self._stats)

    def render(self, text: str, fmt: FormatName = "mp3", slow: bool = False, *, network: bool = True) -> Path:
        """The path of `text` spoken in `fmt`; never raises for network trouble.

        network=False never waits on the online voice: its cached file if there is one, else the offline voice,
        for a caller who is waiting on the line.
        Raises a VoiceError only when no voice can do it: SpeechRequestError (empty text, unknown format),
        VoiceUnavailable (espeak-ng or ffmpeg not installed), AudioToolError (ffmpeg failed on this input).
        """
        text = text.strip()
        if not text:
            raise SpeechRequestError("there is no text to speak")
        audio_format = get_format(fmt)
        online = self.online
        if online is not None:
            online_path = self._path(text, audio_format, slow, online)
            if online_path.exists():
                return self._count(online_path, hits=1)
            # While Google answers, its voice is worth a render even when offline audio is already cached.
            if network and online.ready() and self._render_online(online, text, audio_format, slow, online_path):
                return self._count(online_path, misses=1, online_renders=1)
        offline_path = self._path(text, audio_format, slow, self.offline)
        if offline_path.exists():
            return self._count(offline_path, hits=1)
        self._render_offline(text, audio_format, slow, offline_path)
        return self._count(offline_path, misses=1, offline_renders=1)

    def cached(self, text: str, fmt: FormatName = "mp3", slow: bool = False) -> Path | None:
        """The file already rendered for `text`, the online voice's first; None when it would have to be rendered.
        Not counted in the stats."""
        text, audio_format = text.strip(), get_format(fmt)
        voices: list[GoogleVoice | EspeakVoice] = [self.online] if self.online is not None else []
        paths = (self._path(text, audio_format, slow, voice) for voice in [*voices, self.offline])
        return next((path for path in paths if path.exists()), None)

    def _path(self, text: str, audio_format: AudioFormat, slow: bool, voice: GoogleVoice | EspeakVoice) -> Path:
        key = AudioCache.key(text, voice.voice_id, audio_format.name, voice.speed_id(slow))
        return self.cache.path(key, audio_format.suffix)

    def _render_online(self, online: GoogleVoice, text: str, audio_format: AudioFormat, slow: bool,
                       target: Path) -> bool:
        """True if the online voice wrote `target`; any failure is logged and counted, never raised."""
        try:
            # Our own number spelling, so a hotline number sounds the same in both voices (幺二三四五).
            mp3 = online.synthesize_mp3(spell_numbers(text), slow=slow)
            with tempfile.TemporaryDirectory() as scratch:
                source = Path(scratch) / "online.mp3"
                source.write_bytes(mp3)
                if duration_seconds(source) <= 0:
                    raise OnlineVoiceError("the online voice sent something that is not audio")
                with self.cache.writing(target) as temp:
                    if audio_format.name == "mp3":
                        shutil.copyfile(source, temp)  # already MP3: no second lossy encoding
                    else:
                        convert(source, temp, audio_format)
        except (OnlineVoiceError, AudioToolError) as exc:
            log.info("online voice unavailable, using the offline voice: %s", exc)
            self._count(target, online_failures=1)
            return False
        return True

    def _render_offline(self, text: str, audio_format: AudioFormat, slow: bool, target: Path) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            wav = Path(scratch) / "offline.wav"
            self.offline.synthesize_wav(text, wav, slow=slow)
            with self.cache.writing(target) as temp:
                convert(wav, temp, audio_format)

    def _count(self, path: Path, **deltas: int) -> Path:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self._stats, name, getattr(self._stats, name) + delta)
        return path


def speaker_from_settings(settings: Settings) -> Speaker:
    """A Speaker configured by VOICE_CACHE_DIR, GTTS_ENABLED and GTTS_TIMEOUT_SECONDS."""
    cache_dir = settings.voice_cache_dir or settings.data_dir / "voice-cache"
    return Speaker(cache_dir, online=settings.gtts_enabled, online_timeout=settings.gtts_timeout_seconds)
