"""The errors the voice module lets out; network trouble is never one of them."""

from __future__ import annotations


class VoiceError(Exception):
    """Base class for every voice error."""


class SpeechRequestError(VoiceError, ValueError):
    """The request cannot be spoken by any voice: empty text, nothing pronounceable, an unknown format."""


class VoiceUnavailable(VoiceError):
    """A required local tool (espeak-ng, ffmpeg) or model is missing; the message says what to install."""


class AudioToolError(VoiceError):
    """A local audio tool failed or timed out on this input."""


class OnlineVoiceError(VoiceError):
    """The online voice failed; the speaker catches this and falls back to the offline voice."""
