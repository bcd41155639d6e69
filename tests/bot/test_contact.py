"""Sharing one's phone number (Telegram's request_contact button) links the chat to the citizen the hotline knows by
that number, so nobody has to repeat themselves; someone else's number is not accepted."""

from __future__ import annotations

from assistant import texts as engine_texts
from assistant.identity import Proof
from assistant.messages import Incoming, Text, VerifiedContact
from assistant.store import citizens as citizen_store
from bench import telegram_updates as updates
from bot import texts
from tests.bot.conftest import messages


def test_the_share_button_asks_telegram_for_the_citizens_own_number(citizen):
    [settings] = citizen.says(texts.HOW_TO)
    [prompt] = citizen.taps(texts.SHARE_PHONE_LABEL, under=settings)

    [share, cancel] = prompt.markup()["keyboard"]
    assert share[0] == {"text": texts.SHARE_PHONE_BUTTON, "request_contact": True}
    assert cancel[0]["text"] == texts.SHARE_PHONE_CANCEL
    [back] = citizen.says(texts.SHARE_PHONE_CANCEL)
    assert back.buttons() == [texts.ASK, texts.HUMAN, texts.READ_ALOUD, texts.HOW_TO]


def test_a_shared_number_joins_the_chat_to_the_hotline_caller_with_that_number(citizen, runtime):
    with runtime.sessions() as session:
        contact = VerifiedContact("13812345678", Proof.CARRIER_CALLER_ID)  # a signed carrier webhook's caller
        caller = runtime.assistant.handle(session, Incoming("phone", "13812345678", Text("老年卡怎么办"),
                                                            contact=contact))
        hotline_citizen = caller.conversation.citizen_id
    citizen.says("你好")

    [linked] = messages(citizen.post(updates.contact("+86 138 1234 5678")))

    assert linked.text == engine_texts.PHONE_LINKED.format(phone="138****5678")
    with runtime.sessions() as session:
        telegram_citizen = citizen_store.by_identity(session, channel="telegram", external_id=str(citizen.chat_id))
        assert telegram_citizen.id == hotline_citizen


def test_someone_elses_contact_card_is_not_taken_as_the_citizens_number(citizen, runtime):
    [refused] = messages(citizen.post(updates.contact("13812345678", owner=99999)))

    assert refused.text == texts.NOT_YOUR_CONTACT
    with runtime.sessions() as session:
        assert citizen_store.with_verified_phone(session, phone="13812345678") is None


def test_a_number_shared_while_a_callback_waits_for_one_books_the_callback(citizen, runtime):
    # Nobody on duty: after 找人工 the bot offers a callback and, once accepted, asks for a number.
    [_, offer] = citizen.says(texts.HUMAN)
    [asked] = citizen.taps(engine_texts.CALLBACK_YES, under=offer)
    assert asked.text == engine_texts.CALLBACK_ASK_PHONE

    [booked] = messages(citizen.post(updates.contact("13812345678")))

    assert booked.text.startswith("好的，已经登记了") and "13812345678" in booked.text
