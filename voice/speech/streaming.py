"""MP3 as it is spoken: the bytes of each clause go out as soon as the clause is synthesised, so a listener hears
the start of an answer while the rest is still being made, and the whole file is kept for the cache afterwards."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator

import numpy as np
import soundfile
import soxr

from voice.speech.errors import AudioToolError
from voice.speech.formats import FORMATS

_MP3 = FORMATS["mp3"]
# MPEG audio layer III: kbit/s by bitrate index, per MPEG version (1, or 2 and 2.5, which share a table).
_BITRATES = {1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


def frame_length(header: bytes) -> int:
    """The length in bytes of the MP3 frame whose 4-byte header this is."""
    if len(header) < 4 or header[0] != 0xFF or header[1] & 0xE0 != 0xE0 or (header[1] >> 1) & 3 != 1:
        raise AudioToolError("not the header of an MPEG layer III frame")
    version = (header[1] >> 3) & 3
    bitrate = _BITRATES[1 if version == 3 else 2][header[2] >> 4] * 1000
    rate = _RATES[version][(header[2] >> 2) & 3]
    padding = (header[2] >> 1) & 1
    return (144 if version == 3 else 72) * bitrate // rate + padding


class Mp3Stream:
    """Encodes float samples at `rate` into MP3 piece by piece. Iterate `chunks(pieces)` for the bytes to send;
    `whole` is the complete file (with its final header) once the iteration has ended."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.whole: bytes | None = None

    def chunks(self, pieces: Iterable[np.ndarray]) -> Iterator[bytes]:
        buffer = io.BytesIO()
        resampler = soxr.ResampleStream(self.rate, _MP3.sample_rate, 1, dtype="float32", quality="HQ")
        sent = 0
        with soundfile.SoundFile(buffer, "w", samplerate=_MP3.sample_rate, channels=1, format=_MP3.container,
                                 subtype=_MP3.subtype) as encoder:
            for piece in pieces:
                samples = resampler.resample_chunk(np.asarray(piece, dtype=np.float32).reshape(-1))
                encoder.write(np.clip(samples, -1.0, 1.0))
                sent, new = self._new_bytes(buffer, sent)
                if new:
                    yield new
            encoder.write(resampler.resample_chunk(np.zeros(0, dtype=np.float32), last=True))
        # Closing rewrote the first frame (the encoder's summary of the whole file), already passed over: what
        # follows it is sent; the cache keeps the file with its summary.
        self.whole = buffer.getvalue()
        if tail := self.whole[sent or frame_length(self.whole[:4]):]:
            yield tail

    @staticmethod
    def _new_bytes(buffer: io.BytesIO, sent: int) -> tuple[int, bytes]:
        """The bytes written since `sent`. The first frame is skipped: the encoder fills it in only at the end, so
        a stream without it (plain frames, as every player takes) is what goes out."""
        written = buffer.getbuffer()
        if sent == 0:
            if len(written) < 4:
                return 0, b""
            sent = frame_length(bytes(written[:4]))
        new = bytes(written[sent:]) if len(written) > sent else b""
        return sent + len(new), new
