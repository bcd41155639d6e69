"""The offline voice: numbered pinyin spoken by espeak-ng's cmn-latn-pinyin voice, as WAV."""

from __future__ import annotations

from pathlib import Path

from voice.errors import AudioToolError, SpeechRequestError, VoiceUnavailable
from voice.pinyin import RULES_VERSION, to_numbered_pinyin
from voice.tools import run_tool

ESPEAK_VOICE = "cmn-latn-pinyin"
# espeak-ng's rate is in words a minute and each pinyin syllable counts as a word, but short syllables come out
# faster than the nominal rate: measured with pauses on the guides' short answers, these give a median of 169 and
# 143 Chinese characters a minute, the calm pace the hotline wants (150-180) and a slower one.
NORMAL_WORDS_PER_MINUTE = 145
SLOW_WORDS_PER_MINUTE = 125
# At the default amplitude (100) the peaks reach full scale; phone codecs would turn that into clipping. At 70 the
# loudest of the hotline's sentences still peaked at -0.9 dBFS (bench/hotline.py); 55 leaves about 3 dB of headroom
# for MP3 decoding and the carrier's resampling.
AMPLITUDE = 55


class EspeakVoice:
    """Speaks Chinese text offline; needs the espeak-ng binary and its data (Debian: apt-get install espeak-ng)."""

    def __init__(self, binary: str = "espeak-ng", *, timeout: float = 30.0) -> None:
        self.binary = binary
        self.timeout = timeout

    @property
    def voice_id(self) -> str:
        return f"espeak-ng:{ESPEAK_VOICE}:pinyin-rules-{RULES_VERSION}:amplitude-{AMPLITUDE}"

    def speed_id(self, slow: bool) -> str:
        return f"{self._rate(slow)}wpm"

    def synthesize_wav(self, text: str, target: Path, *, slow: bool = False) -> None:
        """Write `text` spoken as a WAV file to `target`."""
        pinyin = to_numbered_pinyin(text)
        if not pinyin:
            raise SpeechRequestError(f"nothing speakable in {text!r}")
        args = [self.binary, "-v", ESPEAK_VOICE, "-s", str(self._rate(slow)), "-a", str(AMPLITUDE),
                "-w", str(target), "--stdin"]
        try:
            run_tool(args, stdin=pinyin.encode("utf-8"), timeout=self.timeout)
        except AudioToolError as exc:
            # espeak-ng fails on valid text only when its voice data is missing or broken.
            raise VoiceUnavailable(f"espeak-ng cannot speak with the {ESPEAK_VOICE} voice: {exc}") from None

    @staticmethod
    def _rate(slow: bool) -> int:
        return SLOW_WORDS_PER_MINUTE if slow else NORMAL_WORDS_PER_MINUTE
