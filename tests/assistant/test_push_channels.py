"""What the engine offers push channels (Telegram): a phone number the channel vouches for links the citizen across
channels, the last words said can be fetched to read them aloud, and a change in the queue is one event from which each
channel tells its own citizens their place, by the conversation they belong to."""

from __future__ import annotations

import asyncio

from assistant import texts
from assistant.identity import Proof
from assistant.live.events import QUEUE_TOPIC, channel_topic
from assistant.messages import Incoming, ReadBack, SharedContact, Text, VerifiedContact
from assistant.store import callbacks as callback_store
from assistant.store import citizens as citizen_store
from assistant.store.models import Conversation
from assistant.waiting import places
from tests.utils.chat import Chat


def test_a_vouched_phone_number_joins_the_citizen_the_hotline_knows(runtime, session, chat):
    contact = VerifiedContact("13812345678", Proof.CARRIER_CALLER_ID)
    caller = runtime.assistant.handle(session, Incoming("phone", "13812345678", Text("你好"), contact=contact))
    chat.say("你好")

    [reply] = runtime.assistant.handle(session, Incoming("test", chat.sender, SharedContact("+8613812345678"))).replies

    assert reply.text == texts.PHONE_LINKED.format(phone="138****5678")
    joined = citizen_store.identity(session, channel="test", external_id=chat.sender)
    assert joined.citizen_id == session.get(Conversation, caller.conversation.id).citizen_id
    [link] = citizen_store.links_of(session, citizen_id=joined.citizen_id)
    assert (link.identity_id, link.proof, link.detail) == (joined.id, "telegram_contact", {"phone": "138****5678"})


def test_a_number_given_while_a_callback_waits_for_one_books_it(runtime, session, chat):
    chat.say("找人工")  # nobody on duty: a callback is offered
    chat.say("1")  # yes, please call me: the engine asks for a number

    [booked] = runtime.assistant.handle(session, Incoming("test", chat.sender, SharedContact("13812345678"))).replies

    assert booked.text.startswith("好的，已经登记了")
    assert [c.phone for c in callback_store.for_case(session, case_id=chat.case.id)] == ["13812345678"]


def test_a_number_that_is_no_phone_number_is_refused(runtime, session, chat):
    [reply] = runtime.assistant.handle(session, Incoming("test", chat.sender, SharedContact("12"))).replies
    assert reply.text == texts.CALLBACK_BAD_PHONE


def test_last_words_are_what_was_said_since_the_citizen_last_spoke(runtime, session, chat, on_duty):
    assert runtime.assistant.handle(session, Incoming("test", chat.sender, ReadBack())).replies == []
    answer = chat.say("身份证过期了咋换")
    assert runtime.assistant.handle(session, Incoming("test", chat.sender, ReadBack())).replies == answer

    chat.say("找人工")
    runtime.desk.claim(session, case=chat.case, officer=on_duty)
    runtime.desk.reply(session, case=chat.case, officer=on_duty, text="您好，带上旧证来。")
    session.commit()
    chat.say("好的")  # the officer is there: the assistant stays quiet

    read_back = Incoming("test", chat.sender, ReadBack())
    [queued, joined, officer_said] = runtime.assistant.handle(session, read_back).replies
    assert queued.text.startswith(texts.QUEUE_STARTED)  # everything since "找人工", the citizen's last question
    assert (joined.text, officer_said.text) == (texts.OFFICER_JOINED.format(name="王芳"), "您好，带上旧证来。")


async def test_queue_places_reach_each_channel_with_their_conversation(runtime, session, on_duty):
    first, second = Chat(runtime, session, sender="a"), Chat(runtime, session, sender="b")
    async with runtime.bus.subscribe(QUEUE_TOPIC) as events:
        first.say("找人工")
        second.say("找人工")
        runtime.desk.claim(session, case=first.case, officer=on_duty)
        session.commit()
        seen: list[tuple[str, dict]] = []
        while not any(s["case_id"] == second.case.id and s["position"] == 1 for _, s in seen):
            event = await asyncio.wait_for(anext(events), 1)
            assert event["type"] == "queue_changed"
            seen += [(conversation, status.to_dict()) for conversation, status in places(event, channel="test")]
    assert {conversation for conversation, s in seen if s["case_id"] == second.case.id} == {second.conversation_id}
    assert places(event, channel="web") == []  # another channel's citizens are not this one's to tell


async def test_a_change_in_the_queue_is_one_event_however_many_wait(runtime, session, on_duty):
    chats = [Chat(runtime, session, sender=f"c{n}") for n in range(4)]
    for chat in chats[:3]:
        chat.say("找人工")
    async with runtime.bus.subscribe(QUEUE_TOPIC, channel_topic("test")) as events:
        chats[3].say("找人工")
        runtime.bus.publish(channel_topic("test"), {"type": "marker"})  # after everything the turn published
        event = await asyncio.wait_for(anext(events), 1)
        assert event["type"] == "queue_changed"
        assert [place.position for _, place in places(event, channel="test")] == [1, 2, 3, 4]
        assert (await asyncio.wait_for(anext(events), 1))["type"] == "marker"  # not one event per waiting citizen
