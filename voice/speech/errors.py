"""The errors the voice module lets out; network trouble is never one of them."""

from __future__ import annotations


class VoiceError(Exception):
    """Base class for every voice error."""


class SpeechRequestError(VoiceError, ValueError):
    """The request cannot be spoken by any voice: empty text, nothing pronounceable, an unknown format."""


class VoiceUnavailable(VoiceError):
    """A voice's model or library is missing or cannot load; the message says what to install."""


class AudioToolError(VoiceError):
    """Audio could not be read or written (libsndfile failed on this input)."""


class OnlineVoiceError(VoiceError):
    """The online voice failed; the speaker catches this and falls back to the offline voice."""
