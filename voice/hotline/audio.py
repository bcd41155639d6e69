"""The phone's audio: every sentence as one of our own files, ready at once. A caller on the line never waits for
the network: a sentence not rendered yet is spoken by the offline voice now (about 0.1 s), and the online voice
renders it in the background for the next caller."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from voice.errors import VoiceError
from voice.formats import FORMATS, FormatName
from voice.speech import Speaker

log = logging.getLogger(__name__)

MEDIA_TYPES = {f.suffix: f.media_type for f in FORMATS.values()}
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
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._background: ThreadPoolExecutor | None = None

    def file_for(self, text: str) -> Path | None:
        """The cached file, else the offline voice's now; None when no voice can speak at all (tools missing)."""
        try:
            path = self.speaker.cached(text, self.fmt, self.slow)
            hit = path is not None
            if path is None:
                path = self.speaker.render(text, self.fmt, self.slow, network=False)
        except VoiceError as exc:
            log.warning("no audio for a hotline sentence, the carrier's voice will say it: %s", exc)
            return None
        with self._lock:
            self.stats.hits += hit
            self.stats.misses += not hit
            self._texts[path.name] = text.strip()
            self._texts.move_to_end(path.name)
            while len(self._texts) > _REMEMBERED_TEXTS:
                self._texts.popitem(last=False)
        if not hit:
            self._render_online_later(text)
        return path

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
        """Wait for the background renders already started (they may be talking to Google); drop the rest."""
        with self._lock:
            background, self._background = self._background, None
        if background is not None:
            background.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            self._pending.clear()

    def _render_online_later(self, text: str) -> None:
        online = self.speaker.online
        if online is None or not online.ready():
            return
        with self._lock:
            if text in self._pending:
                return
            self._pending.add(text)
            if self._background is None:
                self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="hotline-voice")
        self._background.submit(self._render_online, text)

    def _render_online(self, text: str) -> None:
        try:
            self.speaker.render(text, self.fmt, self.slow)
        except VoiceError as exc:
            log.info("background render failed: %s", exc)
        finally:
            with self._lock:
                self._pending.discard(text)
