"""Voice: 读给我听 sends the last answer as a Telegram voice message (OGG/Opus); "always answer by voice" adds one
to every answer; a voice note is transcribed only by a configured recogniser, never guessed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from aiogram.types import Update

from assistant import texts as engine_texts
from assistant.services import Services
from bench import telegram_updates as updates
from bot import texts
from bot.channel import TelegramChannel
from tests.bot.conftest import messages

pytestmark = pytest.mark.usefixtures("audio_tools")


@pytest.fixture(scope="session")
def audio_tools() -> None:
    missing = [tool for tool in ("ffprobe",) if shutil.which(tool) is None]  # to check the voice message
    if missing:
        pytest.skip(f"needs {', '.join(missing)}")


def test_read_aloud_sends_the_last_answer_as_an_ogg_opus_voice_message(citizen, telegram, ffprobe, tmp_path):
    citizen.says("身份证过期了咋换")
    calls = citizen.post(updates.message(texts.READ_ALOUD))

    [voice] = [c for c in calls if c.method == "sendVoice"]
    audio = ffprobe(voice.files["voice"], tmp_path)
    assert (audio["format"], audio["codec"]) == ("ogg", "opus")
    assert audio["duration"] > 1.0
    assert int(voice.params["duration"]) >= 1


def test_read_aloud_with_nothing_said_yet_says_so(citizen):
    [reply] = citizen.says(texts.READ_ALOUD)
    assert reply.text == texts.NOTHING_TO_READ


def test_always_by_voice_adds_a_voice_message_to_every_answer(citizen):
    [settings] = citizen.says(texts.HOW_TO)
    [confirmed] = citizen.taps(texts.VOICE_OFF_LABEL, under=settings)
    assert confirmed.text == texts.VOICE_NOW_ON

    calls = citizen.post(updates.message("身份证过期了咋换"))

    assert [c.method for c in calls if c.method in ("sendMessage", "sendVoice")] == ["sendMessage", "sendVoice"]


def test_the_voice_setting_button_shows_its_new_state(citizen, telegram):
    [settings] = citizen.says(texts.HOW_TO)
    citizen.taps(texts.VOICE_OFF_LABEL, under=settings)
    [edited] = telegram.sent("editMessageReplyMarkup")
    assert texts.VOICE_ON_LABEL in edited.buttons()


def test_a_voice_note_without_a_recogniser_gets_a_kind_answer_and_a_person(citizen, runtime):
    [reply] = messages(citizen.post(updates.voice_note()))

    assert reply.text == texts.CANNOT_LISTEN
    assert reply.buttons() == [engine_texts.HUMAN_LABEL]
    [queued, *_] = citizen.taps(engine_texts.HUMAN_LABEL, under=reply)
    assert queued.text.startswith(engine_texts.QUEUE_STARTED)


class HeardFromFile:
    """A recogniser for tests: "hears" the text written in the file it is given, so the test proves the bot
    downloaded the citizen's voice note from Telegram and passed it on."""

    def transcribe(self, audio_path: Path) -> str | None:
        return audio_path.read_bytes().decode() or None


async def test_a_configured_recogniser_hears_the_voice_note_and_the_engine_answers(make_channel, telegram, kb):
    telegram.add_file("note-1", "身份证过期了咋换".encode(), path="voice/file_1.oga")
    channel = make_channel(recognizer=HeardFromFile())

    await channel.feed(_update(channel, updates.voice_note("note-1")))

    assert telegram.sent("getFile")
    heard, answer = [c.text for c in telegram.sent("sendMessage")]
    assert heard == texts.HEARD.format(text="身份证过期了咋换")
    assert answer.startswith(kb.guides["id-card-renewal"].short_answer)


async def test_a_voice_note_the_recogniser_cannot_make_out_is_not_guessed(make_channel, telegram):
    telegram.add_file("note-2", b"", path="voice/file_2.oga")
    channel = make_channel(recognizer=HeardFromFile())

    await channel.feed(_update(channel, updates.voice_note("note-2")))

    assert [c.text for c in telegram.sent("sendMessage")] == [texts.NOT_HEARD]


def _update(channel, raw):
    return Update.model_validate(raw, context={"bot": channel.bot})


def spoken_voice(app, text: str) -> bytes:
    """The voice message the bot's own speaker makes of this text (rendered once, then from its cache)."""
    speaker = Services.of(app).part(TelegramChannel).output.speaker
    return Path(speaker.render(text, "ogg_opus", False)).read_bytes()


@pytest.mark.parametrize("unreadable", [updates.photo, updates.voice_note, updates.document])
def test_read_aloud_after_something_the_officer_could_not_get_reads_the_last_answer(citizen, officer, telegram, app,
                                                                                  unreadable):
    """"照片传不到工作人员那里" is not what a citizen tapping 读给我听 wants to hear: the officer's last words are."""
    citizen.says("身份证过期了咋换")
    citizen.says(texts.HUMAN)
    [case] = officer.get("/api/officer/cases").json()
    officer.post(f"/api/officer/cases/{case['id']}/claim")
    officer.post(f"/api/officer/cases/{case['id']}/reply", json={"text": "您好，周一带上旧证来窗口就行。"})
    telegram.wait_for("sendMessage", chat_id=citizen.chat_id, count=4)
    [failed] = messages(citizen.post(unreadable()))

    [voice] = [c for c in citizen.post(updates.message(texts.READ_ALOUD)) if c.method == "sendVoice"]

    transcript = officer.get(f"/api/officer/cases/{case['id']}").json()["messages"]
    asked = max(i for i, m in enumerate(transcript) if m["text"] == texts.HUMAN)
    answer = "\n".join(m["text"] for m in transcript[asked + 1:] if m["role"] != "citizen"
                       and m["text"] != failed.text)
    assert "您好，周一带上旧证来窗口就行。" in answer
    assert voice.files["voice"] == spoken_voice(app, answer)
    assert voice.files["voice"] != spoken_voice(app, failed.text)


@pytest.mark.parametrize("unreadable_text", ["请问" * 1500, "\ufffd\ufffd\ufffd\ufffd\x07\x08"])
def test_read_aloud_after_text_the_bot_could_not_read_reads_the_answer_before(citizen, app, kb, unreadable_text):
    """After "您发来的字太多了" or "好像是乱码", 读给我听 reads the last real answer."""
    [answer, *_] = citizen.says("身份证过期了咋换")
    [failed] = citizen.says(unreadable_text)
    assert failed.text != answer.text

    [voice] = [c for c in citizen.post(updates.message(texts.READ_ALOUD)) if c.method == "sendVoice"]

    assert answer.text.startswith(kb.guides["id-card-renewal"].short_answer)
    assert voice.files["voice"] != spoken_voice(app, failed.text)
    assert voice.files["voice"] == spoken_voice(app, answer.text)
