"""The phone's audio files: what the carrier may fetch, behind a token, from the shared speech library's cache. The
rule for a caller who is waiting (the cached file, else an offline voice now, the online voice later) is the speech
library's (Speaker.now), the same as for the web's 读给我听."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from voice.speech.errors import VoiceError
from voice.speech.formats import MEDIA_TYPES, FormatName
from voice.speech.speaker import Speaker

__all__ = ["MEDIA_TYPES", "AudioStats", "PhoneAudio"]

log = logging.getLogger(__name__)

_FILE_NAME = re.compile(r"^[0-9a-f]{64}\.(mp3|wav)$")  # the cache's own names: a hash and a suffix, nothing else
_REMEMBERED_TEXTS = 4096


@dataclass
class AudioStats:
    hits: int = 0  # served from the cache
    misses: int = 0  # rendered while the caller waited

    @property
    def hit_rate(self) -> float:
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class PhoneAudio:
    """Text to a cached audio file the carrier may fetch, with a token so only files we handed out are served."""

    def __init__(self, speaker: Speaker, *, secret: bytes, fmt: FormatName = "mp3", slow: bool = False) -> None:
        self.speaker = speaker
        self.fmt: FormatName = fmt
        self.slow = slow
        self.stats = AudioStats()
        self._secret = secret
        self._texts: OrderedDict[str, str] = OrderedDict()  # file name -> words, for the call simulator's transcript
        self._lock = threading.Lock()

    def file_for(self, text: str) -> Path | None:
        """The cached file, else an offline voice's now; None when no voice can speak at all."""
        try:
            rendered = self.speaker.now(text, self.fmt, self.slow)
        except VoiceError as exc:
            log.error("no audio for a hotline sentence, the carrier's voice will say it: %s", exc)
            return None
        with self._lock:
            self.stats.hits += rendered.cached
            self.stats.misses += not rendered.cached
            self._texts[rendered.path.name] = text.strip()
            self._texts.move_to_end(rendered.path.name)
            while len(self._texts) > _REMEMBERED_TEXTS:
                self._texts.popitem(last=False)
        return rendered.path

    def token(self, name: str) -> str:
        return hmac.new(self._secret, name.encode(), hashlib.sha256).hexdigest()[:32]

    def served(self, name: str, token: str) -> Path | None:
        """The file a URL names, if we handed that URL out and the file is there."""
        if not _FILE_NAME.match(name) or not hmac.compare_digest(self.token(name), token):
            return None
        path = self.speaker.cache.root / name
        return path if path.is_file() else None

    def text_of(self, name: str) -> str | None:
        """The words in a file this process handed out recently."""
        with self._lock:
            return self._texts.get(name)

    def close(self) -> None:
        """Let the shared speaker's background renders already started finish."""
        self.speaker.close()
