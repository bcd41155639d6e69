"""A spoken conversation (the phone): short menus with 再听一遍, key presses, silence, and a hand-over that failed."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from assistant import texts
from assistant.messages import Incoming, NobodyAnswered, Reply
from assistant.runtime import Runtime
from assistant.store import callbacks as callback_store
from tests.utils.phone import Caller

ID_CARD = "id-card-renewal"


@pytest.fixture
def caller(runtime: Runtime, session: Session) -> Caller:
    return Caller(runtime, session)


def _menu(replies: list[Reply]) -> list[tuple[str, str]]:
    return [(c.key, c.action) for c in replies[-1].choices]


def test_an_answer_offers_four_spoken_options_hearing_it_again_first(caller, runtime):
    replies = caller.say("身份证到期了怎么换")
    assert replies[0].text.startswith(runtime.matcher.kb.guides[ID_CARD].short_answer)
    assert _menu(replies) == [("1", "repeat"), ("2", "detail:materials"), ("3", "detail:where"), ("0", "human")]


def test_keys_pressed_pick_repeat_materials_and_where(caller, runtime):
    answer = caller.say("身份证到期了怎么换")
    assert caller.press("1") == answer
    [materials] = caller.press("2")
    assert materials.text == texts.materials(runtime.matcher.kb.guides[ID_CARD])
    assert caller.press("1") == [materials]  # hearing again is hearing the last thing again
    [where] = caller.press("3")
    assert where.text.startswith("在哪办")


def test_saying_hear_it_again_repeats_too(caller):
    answer = caller.say("身份证到期了怎么换")
    assert caller.say("再听一遍") == answer


def test_a_written_conversation_keeps_its_five_buttons(chat):
    replies = chat.say("身份证到期了怎么换")
    assert [c.key for c in replies[-1].choices] == ["1", "2", "3", "4", "0"]


def test_silence_gets_one_gentle_prompt_then_a_person(caller, on_duty):
    [again] = caller.silence()
    assert (again.kind, again.text, [c.key for c in again.choices]) == ("silence", texts.SILENCE, ["0"])
    assert caller.case is None
    replies = caller.silence()
    assert replies[0].kind == "queue"
    assert (caller.case.status, caller.case.reason) == ("waiting", "silence")


def test_the_prompt_after_silence_keeps_the_menu_the_caller_was_given(caller):
    answer = caller.say("身份证到期了怎么换")
    [again] = caller.silence()
    assert again.choices == answer[-1].choices


def test_anything_said_in_between_starts_the_silence_count_again(caller):
    caller.silence()
    caller.say("身份证到期了怎么换")
    [again] = caller.silence()
    assert again.kind == "silence"
    assert caller.case is None


UNCLEAR = ["今天天气怎么样", "嗯嗯", "那个那个", "我也说不好", "就是那个事儿", "啊？", "你说啥"]


@pytest.mark.parametrize(("first", "second"), [(UNCLEAR[i], UNCLEAR[(i + 3) % len(UNCLEAR)])
                                               for i in range(len(UNCLEAR))])
def test_two_unclear_answers_put_the_caller_through_not_a_second_offer(caller, on_duty, first, second):
    caller.say(first)
    replies = caller.say(second)
    assert [r.kind for r in replies] == ["offer_person", "queue"]
    assert replies[0].text == texts.MISSED_TWICE
    assert (caller.case.status, caller.case.reason) == ("waiting", "two_misses")


@pytest.mark.parametrize("order", ["silence first", "words first"])
def test_a_silence_and_an_unclear_answer_count_together(caller, on_duty, order):
    steps = [caller.silence, lambda: caller.say("嗯那个")]
    steps = steps if order == "silence first" else steps[::-1]
    steps[0]()
    assert caller.case is None
    replies = steps[1]()
    assert replies[-1].kind == "queue"
    assert caller.case is not None


def test_two_misses_with_nobody_on_duty_offer_a_callback_at_once(caller):
    caller.say("嗯嗯")
    replies = caller.silence()
    assert [r.kind for r in replies] == ["queue", "callback"]
    assert caller.case is not None


def test_written_chats_still_offer_a_person_first(chat):
    chat.say("今天天气怎么样")
    assert chat.say("嗯嗯")[-1].kind == "offer_person"


def test_an_empty_message_without_the_silence_flag_is_still_just_empty(caller):
    [reply] = caller.say("")
    assert reply.text == texts.EMPTY


def test_when_the_person_cannot_be_reached_a_callback_is_offered_and_booked(caller, runtime, session, on_duty):
    caller.press("0")
    incoming = Incoming("phone", caller.sender, NobodyAnswered(), conversation_id=caller.conversation_id)
    turn = runtime.assistant.handle(session, incoming)
    assert [r.kind for r in turn.replies] == ["queue", "callback"]
    assert turn.replies[0].text == texts.PERSON_UNREACHABLE
    [booked] = caller.press("1")
    assert booked.kind == "callback" and "13812345678" in booked.text
    [callback] = callback_store.for_case(session, case_id=caller.case.id)
    assert callback.phone == "13812345678"
