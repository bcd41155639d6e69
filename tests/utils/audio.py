"""Real audio checked by the real tools: what ffprobe reads in a file, and whether ffprobe is there to read it. The
voice itself needs no program (tests/voice/speech/test_no_programs.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

TOOLS = ("ffprobe",)  # only to check the files the speech library wrote


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def probe(path: Path) -> dict[str, Any]:
    """Container, codec, sample rate, channels and duration of an audio file, as ffprobe reads them."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
                         capture_output=True, check=True, text=True).stdout
    info = json.loads(out)
    stream = info["streams"][0]
    return {"format": info["format"]["format_name"], "codec": stream["codec_name"],
            "sample_rate": int(stream["sample_rate"]), "channels": stream["channels"],
            "duration": float(info["format"]["duration"])}
