"""A disk cache of rendered audio: one file per (text, voice, format, speed), written atomically."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from voice.speech.errors import AudioToolError

TEMP_PREFIX = ".partial-"


class AudioCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    @staticmethod
    def key(text: str, voice: str, fmt: str, speed: str) -> str:
        return hashlib.sha256(json.dumps([text, voice, fmt, speed], ensure_ascii=False).encode()).hexdigest()

    def path(self, key: str, suffix: str) -> Path:
        return self.root / f"{key}{suffix}"

    @contextmanager
    def writing(self, final: Path) -> Iterator[Path]:
        """Yield a temporary path next to `final`; it replaces `final` only if the block succeeds."""
        # Same directory, so the rename is atomic: another worker or the web server never sees half a file.
        fd, name = tempfile.mkstemp(dir=self.root, prefix=TEMP_PREFIX, suffix=final.suffix)
        os.close(fd)
        temp = Path(name)
        try:
            yield temp
            if temp.stat().st_size == 0:
                raise AudioToolError(f"no audio was written for {final.name}")
            temp.chmod(0o644)  # mkstemp makes 0600; a web server may serve the cache directly
            os.replace(temp, final)
        finally:
            temp.unlink(missing_ok=True)
