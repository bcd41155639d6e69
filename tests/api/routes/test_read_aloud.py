"""The chat page's 读给我听: the assistant's and officers' words, read in our own voice as an MP3, for this web
conversation only; nothing the citizen typed, and nothing of anyone else's conversation."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.services import Services
from tests.utils.audio import missing_tools, probe
from voice.hotline.calls import Hotline


@pytest.fixture
def settings(settings):
    if missing_tools():
        pytest.skip(f"needs {', '.join(missing_tools())}: apt-get install espeak-ng ffmpeg")
    return settings.model_copy(update={"gtts_enabled": False})  # the offline voice: no call to Google's servers


@pytest.fixture
def answered(say) -> dict:
    return say("身份证过期了咋换")


def audio_url(conversation: str, message_id: int) -> str:
    return f"/api/conversations/{conversation}/messages/{message_id}/audio"


def test_an_answer_is_read_aloud_as_an_mp3(client, conversation, answered, tmp_path: Path):
    answer = answered["messages"][1]
    assert answer["role"] == "assistant"
    response = client.get(audio_url(conversation, answer["id"]))
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/mpeg"
    path = tmp_path / "answer.mp3"
    path.write_bytes(response.content)
    heard = probe(path)
    assert (heard["format"], heard["codec"], heard["channels"]) == ("mp3", "mp3", 1)
    assert heard["duration"] > 2  # a whole sentence, not a click


def test_the_same_words_again_come_from_the_cache(client, app, conversation, answered):
    answer = answered["messages"][1]
    first = client.get(audio_url(conversation, answer["id"])).content
    hits = Services.of(app).part(Hotline).audio.stats.hits
    assert client.get(audio_url(conversation, answer["id"])).content == first
    assert Services.of(app).part(Hotline).audio.stats.hits == hits + 1


def test_what_the_citizen_typed_is_not_read(client, conversation, answered):
    said = answered["messages"][0]
    assert said["role"] == "citizen"
    assert client.get(audio_url(conversation, said["id"])).status_code == 404


def test_another_conversation_s_words_are_not_read_through_this_one(client, conversation, answered):
    other = client.post("/api/conversations", json={}).json()
    assert client.get(audio_url(other["id"], answered["messages"][1]["id"])).status_code == 404
    assert client.get(audio_url("0" * 32, answered["messages"][1]["id"])).status_code == 404


def test_a_message_id_that_cannot_exist_is_refused(client, conversation):
    assert client.get(audio_url(conversation, 0)).status_code == 422
    assert client.get(audio_url(conversation, 2**63)).status_code == 422
