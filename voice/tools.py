"""Run the external audio programs (espeak-ng, ffmpeg, ffprobe) with a timeout and clear errors."""

from __future__ import annotations

import subprocess

from voice.errors import AudioToolError, VoiceUnavailable

APT_PACKAGES = {"espeak-ng": "espeak-ng", "ffmpeg": "ffmpeg", "ffprobe": "ffmpeg"}


def run_tool(args: list[str], *, timeout: float, stdin: bytes | None = None) -> bytes:
    """Run a program and return its stdout; raise VoiceUnavailable if it is not installed."""
    try:
        done = subprocess.run(args, input=stdin, capture_output=True, timeout=timeout, check=False)
    except FileNotFoundError:
        package = APT_PACKAGES.get(args[0].rsplit("/", 1)[-1], args[0])
        raise VoiceUnavailable(f"{args[0]} is not installed (apt-get install {package})") from None
    except subprocess.TimeoutExpired:
        raise AudioToolError(f"{args[0]} did not finish within {timeout:g} s") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip()[-400:]
        raise AudioToolError(f"{args[0]} failed (exit {done.returncode}): {message}")
    return done.stdout
