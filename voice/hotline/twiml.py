"""TwiML documents, built with the twilio package: listen (Gather), hand over (Dial or Enqueue), hold, end."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from twilio.twiml.voice_response import Gather, VoiceResponse

LANGUAGE = "zh-CN"
# To begin speaking or pressing after the prompt ends: 4 s, then the re-prompt (7 s left callers in a silence they
# took for a dropped line; 3 s of it was the time people take in practice).
START_SECONDS = 4
SPEECH_END_SECONDS = 3  # a pause this long ends what they say; shorter cuts off a caller searching for a word
DIAL_SECONDS = 30  # the duty phone rings this long before the caller is offered a callback
HOLD_SECONDS = 20  # between two announcements of the caller's place in the queue
QUEUE = "hotline"


@dataclass(frozen=True)
class Sound:
    text: str
    url: str | None  # our own audio file; None only when no voice could render it


def _speak(verb: VoiceResponse | Gather, sounds: Iterable[Sound]) -> None:
    for sound in sounds:
        if sound.url is not None:
            verb.play(sound.url)
        else:  # the last resort: the carrier's own voice, so the caller still hears the words
            verb.say(sound.text, language=LANGUAGE)


def listen(sounds: Iterable[Sound], *, action: str, on_silence: str, hints: str, one_key: bool = True,
           language: str = LANGUAGE) -> VoiceResponse:
    """Say the sounds while listening for speech or keys (the caller may interrupt); silence goes to on_silence.

    one_key: a menu (one key decides at once); otherwise digits until # (a phone number).
    """
    response = VoiceResponse()
    gather = Gather(input="speech dtmf", action=action, method="POST", language=language, hints=hints or None,
                    timeout=START_SECONDS, speech_timeout=SPEECH_END_SECONDS, num_digits=1 if one_key else None,
                    finish_on_key="#")
    _speak(gather, sounds)
    response.append(gather)
    response.redirect(on_silence, method="POST")  # Gather falls through to here when nothing was said
    return response


def dial(sounds: Iterable[Sound], *, number: str, action: str) -> VoiceResponse:
    """Ring the duty phone; action hears how it went (DialCallStatus)."""
    response = VoiceResponse()
    _speak(response, sounds)
    response.dial(number, action=action, method="POST", timeout=DIAL_SECONDS)
    return response


def enqueue(sounds: Iterable[Sound], *, wait_url: str, action: str) -> VoiceResponse:
    """Wait in the carrier's queue for an officer; wait_url is fetched again and again while the caller waits."""
    response = VoiceResponse()
    _speak(response, sounds)
    response.enqueue(QUEUE, wait_url=wait_url, wait_url_method="POST", action=action, method="POST")
    return response


def hold(sounds: Iterable[Sound], *, on_key: str | None = None) -> VoiceResponse:
    """One round of the wait: the place in the queue, then listening for a key (on_key hears it) as long as a pause
    would last; then the carrier asks the wait URL again. Without on_key (an emergency: no way out is offered, a
    person is coming) the round only pauses."""
    response = VoiceResponse()
    if on_key is None:
        _speak(response, sounds)
        response.pause(length=HOLD_SECONDS)
        return response
    gather = Gather(input="dtmf", num_digits=1, action=on_key, method="POST", timeout=HOLD_SECONDS)
    _speak(gather, sounds)
    response.append(gather)
    return response


def leave_queue(sounds: Iterable[Sound]) -> VoiceResponse:
    response = VoiceResponse()
    _speak(response, sounds)
    response.leave()
    return response


def hang_up(sounds: Iterable[Sound]) -> VoiceResponse:
    response = VoiceResponse()
    _speak(response, sounds)
    response.hangup()
    return response


def empty() -> VoiceResponse:
    """For the carrier's notices (call status): nothing to do."""
    return VoiceResponse()
