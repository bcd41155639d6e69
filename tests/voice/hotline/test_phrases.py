"""What the phone says for the engine's replies: keys for buttons, lists as spoken items, short menus, hints."""

from __future__ import annotations

import datetime as dt

from assistant import texts
from assistant.dialogue import DETAIL_CHOICES, HUMAN, SPOKEN_DETAIL_CHOICES
from assistant.messages import Choice, Reply
from assistant.settings import Settings
from knowledge.loader import KnowledgeBase, load_offices
from voice import prompts
from voice.hotline import phrases


def test_a_button_named_in_the_text_becomes_its_key_and_what_it_does() -> None:
    assert phrases.for_listening(texts.NOT_UNDERSTOOD).endswith("也可以按0找人工。")
    assert "按0找人工" in phrases.for_listening(texts.NOT_COVERED)


def test_a_numbered_list_is_read_item_by_item() -> None:
    assert phrases.for_listening("要带：\n1. 身份证\n2. 户口簿") == "要带：第1，身份证。第2，户口簿。"


def test_the_greeting_and_silence_have_the_phones_own_words() -> None:
    assert phrases.spoken(Reply(texts.GREETING, "greeting")) == prompts.GREETING
    assert phrases.spoken(Reply(texts.SILENCE, "silence", (HUMAN,))) == prompts.REPROMPT
    assert phrases.spoken(Reply(texts.SILENCE, "silence", SPOKEN_DETAIL_CHOICES)) == prompts.NOT_HEARD


def test_the_answer_menu_is_read_as_keys() -> None:
    assert phrases.menu(SPOKEN_DETAIL_CHOICES) == "按1重听，按2听材料，按3听地址，按0找人工。"


def test_a_longer_menu_is_cut_to_four_keeping_the_way_to_a_person() -> None:
    assert [c.key for c in phrases.shown(DETAIL_CHOICES)] == ["1", "2", "3", "0"]


def test_no_menu_is_read_when_the_words_already_name_every_key() -> None:
    said = phrases.for_listening(texts.NOT_UNDERSTOOD)
    assert not phrases.needs_menu(said, (HUMAN,))
    assert phrases.needs_menu(said, (Choice("1", "好", "human"), HUMAN))


def test_hints_name_every_service_within_the_carriers_limits(kb: KnowledgeBase) -> None:
    hints = phrases.hints(kb.guides.values()).split(",")
    assert len(hints) <= 500 and max(map(len, hints)) <= 100
    assert {guide.title for guide in kb.guides.values()} <= set(hints)
    assert "人工" in hints


def test_warming_covers_what_a_typical_call_plays(kb: KnowledgeBase) -> None:
    offices = load_offices(Settings(_env_file=None).offices_file)  # type: ignore[call-arg]
    warmed = set(phrases.texts_to_warm(kb.guides.values(), offices))
    guide = kb.guides["id-card-renewal"]
    answer = phrases.for_listening(texts.answer(guide, past_review=guide.is_past_review(dt.date.today())))
    materials = phrases.chunks(phrases.for_listening(texts.materials(guide)))  # in pages, as a call plays it
    assert len(materials) == 2
    assert {prompts.GREETING, prompts.BARGE_IN, phrases.menu(SPOKEN_DETAIL_CHOICES), answer, *materials,
            "还有1项，按1继续听，按0找人工。", texts.EMERGENCY_ADVICE["gas"]} <= warmed


def test_warming_covers_the_emergency_step_of_every_kind(kb: KnowledgeBase) -> None:
    """A caller in danger must not wait for a voice to render: every line of the emergency step is ready."""
    offices = load_offices(Settings(_env_file=None).offices_file)  # type: ignore[call-arg]
    warmed = set(phrases.texts_to_warm(kb.guides.values(), offices))
    for number in ("119", "120", "110", "96333", "12356"):
        assert {texts.CALL_TRANSFER.format(number=number), texts.CALL_NUMBER_NOW.format(number=number),
                texts.CALL_FAREWELL.format(number=number)} <= warmed
    assert {texts.CALL_GAS_OUTSIDE.format(extra=""), texts.EMERGENCY_MEDICAL_SELF} <= warmed
