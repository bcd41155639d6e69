"""The last fallback voice: numbered pinyin spoken by espeak-ng's cmn-latn-pinyin voice, through the libespeak-ng
that the espeakng-loader wheel bundles (no espeak-ng program needed)."""

from __future__ import annotations

import ctypes
import functools
import threading

import numpy as np

from voice.speech.errors import SpeechRequestError, VoiceUnavailable
from voice.speech.pinyin import RULES_VERSION, to_numbered_pinyin

NAME = "espeak-ng"
ESPEAK_VOICE = "cmn-latn-pinyin"
# espeak-ng's rate is in words a minute and each pinyin syllable counts as a word, but short syllables come out
# faster than the nominal rate: measured with pauses on the guides' short answers, these give a median of 169 and
# 143 Chinese characters a minute, the calm pace the hotline wants (150-180) and a slower one.
NORMAL_WORDS_PER_MINUTE = 145
SLOW_WORDS_PER_MINUTE = 125
# At the default amplitude (100) the peaks reach full scale; phone codecs would turn that into clipping.
AMPLITUDE = 55

# From espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_RATE, _ESPEAK_VOLUME = 1, 2
_POS_CHARACTER = 1
_ESPEAK_CHARS_UTF8 = 1
_SYNTH_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p)


class EspeakVoice:
    """Speaks Chinese text offline with espeak-ng's formant synthesiser: always there, hard to follow."""

    name = NAME

    def __init__(self, library: str | None = None) -> None:
        self.library = library  # libespeak-ng's path; None: the one espeakng-loader bundles
        self._samples: list[np.ndarray] = []
        self._callback = _SYNTH_CALLBACK(self._collect)  # kept alive: the library holds a pointer to it

    @property
    def voice_id(self) -> str:
        return f"espeak-ng:{ESPEAK_VOICE}:pinyin-rules-{RULES_VERSION}:amplitude-{AMPLITUDE}"

    def speed_id(self, slow: bool) -> str:
        return f"{self._rate(slow)}wpm"

    def available(self) -> str | None:
        """None if the voice can speak, else why not."""
        try:
            _library(self.library)
        except VoiceUnavailable as exc:
            return str(exc)
        return None

    def synthesize(self, text: str, *, slow: bool = False) -> tuple[np.ndarray, int]:
        """`text` spoken: mono float samples and their rate."""
        pinyin = to_numbered_pinyin(text)
        if not pinyin:
            raise SpeechRequestError(f"nothing speakable in {text!r}")
        library, sample_rate = _library(self.library)
        with _SPEAKING:  # the library keeps one voice and one callback for the whole process
            self._samples = []
            library.espeak_SetSynthCallback(self._callback)
            if library.espeak_SetVoiceByName(ESPEAK_VOICE.encode()) != 0:
                raise VoiceUnavailable(f"espeak-ng has no {ESPEAK_VOICE} voice in its data")
            library.espeak_SetParameter(_ESPEAK_RATE, self._rate(slow), 0)
            library.espeak_SetParameter(_ESPEAK_VOLUME, AMPLITUDE, 0)
            encoded = pinyin.encode("utf-8") + b"\0"
            status = library.espeak_Synth(encoded, len(encoded), 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None)
            if status != 0:
                raise VoiceUnavailable(f"espeak-ng failed to speak (status {status})")
            samples, self._samples = self._samples, []
        if not samples:
            raise VoiceUnavailable("espeak-ng produced no audio")
        return np.concatenate(samples).astype(np.float32) / 32768.0, sample_rate

    def phonemes(self, pinyin: str) -> str:
        """espeak-ng's phoneme names for numbered pinyin (what `espeak-ng -x` prints), to check its tones."""
        library, _ = _library(self.library)
        with _SPEAKING:
            if library.espeak_SetVoiceByName(ESPEAK_VOICE.encode()) != 0:
                raise VoiceUnavailable(f"espeak-ng has no {ESPEAK_VOICE} voice in its data")
            text = ctypes.c_char_p(pinyin.encode("utf-8"))
            pointer = ctypes.pointer(text)
            out: list[str] = []
            while text.value:
                out.append((library.espeak_TextToPhonemes(pointer, _ESPEAK_CHARS_UTF8, 0) or b"").decode())
        return " ".join(out)

    def _collect(self, wav: ctypes.Array[ctypes.c_short], count: int, _events: int) -> int:
        if count > 0:
            self._samples.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        return 0  # go on

    @staticmethod
    def _rate(slow: bool) -> int:
        return SLOW_WORDS_PER_MINUTE if slow else NORMAL_WORDS_PER_MINUTE


_SPEAKING = threading.Lock()


@functools.cache
def _library(path: str | None = None) -> tuple[ctypes.CDLL, int]:
    """libespeak-ng, initialised once for the process with the data the wheel bundles; and its sample rate."""
    try:
        import espeakng_loader
    except ImportError:
        raise VoiceUnavailable("espeakng-loader is not installed (pip install espeakng-loader)") from None
    try:
        library = ctypes.cdll.LoadLibrary(path or espeakng_loader.get_library_path())
    except OSError as exc:
        raise VoiceUnavailable(f"libespeak-ng cannot be loaded (pip install espeakng-loader): {exc}") from None
    library.espeak_Initialize.restype = ctypes.c_int
    library.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    library.espeak_SetSynthCallback.argtypes = [_SYNTH_CALLBACK]
    library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    library.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    library.espeak_Synth.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
                                     ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]
    library.espeak_TextToPhonemes.restype = ctypes.c_char_p
    library.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
    data = espeakng_loader.get_data_path()
    sample_rate = library.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), 0)
    if sample_rate <= 0:
        raise VoiceUnavailable(f"espeak-ng could not start with its data at {data}")
    return library, sample_rate
