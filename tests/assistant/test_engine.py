"""The engine's promises beyond the dialogue: the citizen's words are kept even if the reply fails, bad input is
answered kindly, messages during a case reach the officer, and a citizen is one person across channels only on
proof."""

from __future__ import annotations

import pytest

from assistant import texts
from assistant.engine import UnknownConversation
from assistant.identity import Proof
from assistant.inputs import MAX_CHARS
from assistant.messages import Incoming, SharedContact, Text, Unreadable, VerifiedContact
from assistant.store import cases as case_store
from assistant.store import citizens as citizen_store
from assistant.store import conversations as conversation_store
from assistant.store.models import Conversation
from tests.utils.chat import Chat

CALLER_ID = VerifiedContact("13812345678", Proof.CARRIER_CALLER_ID)  # what a signed carrier webhook vouches for


def stored(runtime, conversation_id: str) -> list[tuple[str, str]]:
    """What a fresh session reads: what was really committed."""
    with runtime.sessions() as fresh:
        return [(m.role, m.text) for m in conversation_store.messages(fresh, conversation_id=conversation_id)]


@pytest.fixture
def replies_fail(runtime, monkeypatch):
    """From now on, producing a reply raises."""
    def fall_over():
        def broken(*args, **kwargs):
            raise RuntimeError("the matcher fell over")

        monkeypatch.setattr(runtime.assistant.dialogue, "respond", broken)

    return fall_over


def test_the_citizens_message_is_kept_even_when_producing_the_reply_fails(runtime, chat, replies_fail):
    chat.say("你好")
    replies_fail()
    with pytest.raises(RuntimeError):
        chat.say("身份证过期了咋换")
    chat.session.rollback()
    assert stored(runtime, chat.conversation_id)[-1] == ("citizen", "身份证过期了咋换")


def test_a_new_citizens_first_words_are_kept_even_when_the_reply_fails(runtime, chat, replies_fail):
    replies_fail()  # the conversation itself was to be opened in the turn that failed
    with pytest.raises(RuntimeError):
        chat.say("身份证过期了咋换")
    chat.session.rollback()
    with runtime.sessions() as fresh:
        identity = citizen_store.identity(fresh, channel=chat.channel, external_id=chat.sender)
        conversation = conversation_store.latest(fresh, identity_id=identity.id)
    assert stored(runtime, conversation.id) == [("citizen", "身份证过期了咋换")]


@pytest.mark.parametrize(("sent", "answer", "kept"), [
    ("", texts.EMPTY, ""),
    ("   ", texts.EMPTY, ""),
    ("字" * 5000, texts.TOO_LONG, "字" * MAX_CHARS + "…"),
    ("\x00\x01\x02\x03\x04\x05", texts.GARBLED, "\ufffd" * 6),
])
def test_bad_input_gets_a_kind_answer_and_is_stored_safely(runtime, chat, sent, answer, kept):
    [reply] = chat.say(sent)
    assert reply.text == answer
    assert stored(runtime, chat.conversation_id)[-2] == ("citizen", kept)


def test_script_text_is_stored_as_the_words_it_is(runtime, chat):
    chat.say("<script>alert('x')</script>")
    assert ("citizen", "<script>alert('x')</script>") in stored(runtime, chat.conversation_id)


def test_while_a_case_is_open_messages_are_the_officers(runtime, session, chat, on_duty):
    chat.say("找人工")
    chat.say("我的身份证下个月到期")
    case = chat.case
    relayed = [m for m in conversation_store.messages(session, conversation_id=chat.conversation_id)
               if m.case_id == case.id and m.role == "citizen"]
    assert [m.text for m in relayed] == ["我的身份证下个月到期"]
    assert case_store.events(session, case_id=case.id)[-1].kind == "citizen_message"


def test_what_a_channel_cannot_pass_on_is_noted_for_the_officer_and_nothing_of_it_kept(runtime, session, chat,
                                                                                      on_duty):
    chat.say("找人工")
    [told] = runtime.assistant.handle(session, Incoming(chat.channel, chat.sender, Unreadable("photo"))).replies
    assert told.text == texts.UNREADABLE_FOR_OFFICER.format(what="照片")
    case = chat.case
    noted = ("citizen", "（发来了照片，这里收不到）")
    assert stored(runtime, chat.conversation_id)[-2:] == [noted, ("assistant", told.text)]
    assert case_store.events(session, case_id=case.id)[-1].kind == "citizen_message"


def test_without_a_case_the_channel_answers_what_it_cannot_pass_on_itself(runtime, session, chat):
    chat.say("你好")
    before = stored(runtime, chat.conversation_id)
    assert runtime.assistant.handle(session, Incoming(chat.channel, chat.sender, Unreadable("photo"))).replies == []
    assert runtime.assistant.handle(session, Incoming(chat.channel, "never-seen", Unreadable("voice"))).replies == []
    assert stored(runtime, chat.conversation_id) == before


def test_an_unknown_conversation_is_refused(runtime, session):
    with pytest.raises(UnknownConversation):
        runtime.assistant.handle(session, Incoming("web", "x", Text("你好"), conversation_id="no-such-id"))


def test_a_phone_number_typed_on_one_channel_proves_nothing_on_another(runtime, session, chat):
    chat.say("找人工")  # nobody on duty: a callback is offered
    chat.say("1")
    chat.say("13812345678")

    caller = runtime.assistant.handle(session, Incoming("phone", "13812345678", Text("你好"), contact=CALLER_ID))

    assert caller.conversation.citizen_id != chat.case.citizen_id


def test_a_number_verified_on_two_channels_is_one_citizen(runtime, session):
    runtime.assistant.handle(session, Incoming("telegram", "tg-1", SharedContact("13812345678")))
    chat = Chat(runtime, session, sender="tg-1", channel="telegram")
    chat.say("你好")

    caller = runtime.assistant.handle(session, Incoming("phone", "13812345678", Text("你好"), contact=CALLER_ID))

    assert caller.conversation.citizen_id == session.get(Conversation, chat.conversation_id).citizen_id


def test_each_channel_identity_keeps_its_conversation(runtime, session):
    first = Chat(runtime, session, sender="a")
    first.say("身份证过期了咋换")
    again = Chat(runtime, session, sender="a")
    [reply] = again.say("那要带啥")  # the same person, later: the same conversation and its context
    assert again.conversation_id == first.conversation_id
    assert reply.kind == "detail"
