"""The one Speaker of a process, built from the settings on first use and shared by web read-aloud, Telegram and the
hotline: one neural model in memory, one cache, one circuit breaker for gTTS."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from voice.speech.speaker import Speaker

if TYPE_CHECKING:
    from assistant.settings import Settings

_SHARED: dict[tuple[Path, bool, float, float, bool], Speaker] = {}
_BUILDING = threading.Lock()


def speaker_from_settings(settings: Settings) -> Speaker:
    """A new Speaker configured by VOICE_CACHE_DIR, GTTS_ENABLED, GTTS_TIMEOUT_SECONDS and GTTS_RETRY_AFTER_SECONDS."""
    return Speaker(_cache_dir(settings), online=settings.gtts_enabled, online_timeout=settings.gtts_timeout_seconds,
                   online_retry_after=settings.gtts_retry_after_seconds, use_neural=settings.neural_voice_enabled)


def shared_speaker(settings: Settings) -> Speaker:
    """This process's Speaker for these settings, built once (tests with their own cache folder get their own)."""
    key = (_cache_dir(settings).resolve(), settings.gtts_enabled, settings.gtts_timeout_seconds,
           settings.gtts_retry_after_seconds, settings.neural_voice_enabled)
    with _BUILDING:
        speaker = _SHARED.get(key)
        if speaker is None:
            speaker = _SHARED[key] = speaker_from_settings(settings)
        return speaker


def _cache_dir(settings: Settings) -> Path:
    return settings.voice_cache_dir or settings.data_dir / "voice-cache"
