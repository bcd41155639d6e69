"""The online voice: Google Translate's speech (gTTS), with a timeout and a pause after a failure."""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Callable

from gtts import gTTS

from voice.speech.errors import OnlineVoiceError

log = logging.getLogger(__name__)


NAME = "gtts"


class GoogleVoice:
    """Speaks through gTTS; after a failure it stays off for `retry_after` seconds so callers do not wait again."""

    name = NAME

    def __init__(self, *, lang: str = "zh-CN", timeout: float = 5.0, retry_after: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.lang = lang
        self.timeout = timeout
        self.retry_after = retry_after
        self._clock = clock
        self._off_until = 0.0

    @property
    def voice_id(self) -> str:
        return f"gtts:{self.lang}"

    @staticmethod
    def speed_id(slow: bool) -> str:
        return "slow" if slow else "normal"

    def ready(self) -> bool:
        """False while pausing after a failure."""
        return self._clock() >= self._off_until

    def synthesize_mp3(self, text: str, *, slow: bool = False) -> bytes:
        """MP3 bytes of `text` spoken; raise OnlineVoiceError on any failure."""
        buffer = io.BytesIO()
        try:
            # lang_check=False: gTTS 2.5 wrongly warns that "zh-CN" is deprecated on every call; it is supported.
            gTTS(text, lang=self.lang, slow=slow, timeout=self.timeout, lang_check=False).write_to_fp(buffer)
            if not buffer.getvalue():
                raise OnlineVoiceError("gTTS returned no audio")
        except Exception as exc:  # a third-party web service: any failure at all means "use the offline voice"
            self._off_until = self._clock() + self.retry_after
            # A warning: the operator chose this voice and is not getting it.
            log.warning("gTTS failed, the offline voices for %.0f s: %s", self.retry_after, exc)
            raise OnlineVoiceError(str(exc)) from exc
        return buffer.getvalue()
