"""What staff are shown of a case is masked and neutralised when it is shown, so rows written before today's masking
(a summary, a note on the append-only trail) are shown with today's; the rows themselves keep what was written."""

from __future__ import annotations

from assistant import views
from assistant.store import cases as case_store
from assistant.store import conversations as conversation_store
from tests.utils.chat import Chat

OLD_SUMMARY = {"said": ["我电话138.1234.5678", "\u202e看我倒着写"], "phone": "13812345678",
               "earlier": [{"channel": "telegram", "said": ["身份证110101-1950-0101-123X"], "cases": []}]}


def test_a_summary_written_by_an_older_masking_is_masked_when_shown(runtime, session):
    chat = Chat(runtime, session)
    chat.say("你好")
    conversation = conversation_store.get(session, conversation_id=chat.conversation_id)
    case = case_store.create(session, conversation=conversation, reason="asked", priority=0, service_id=None,
                             summary=OLD_SUMMARY)
    session.commit()
    shown = views.case(case)["summary"]
    assert shown["said"] == ["我电话138.****.5678", "�看我倒着写"]
    assert shown["earlier"][0]["said"] == ["身份证110***-****-****-123X"]
    assert shown["phone"] == "138****5678"
    assert case_store.get(session, case_id=case.id).summary == OLD_SUMMARY  # the row is unchanged


def test_a_note_on_the_trail_is_masked_and_neutralised_when_shown(runtime, session):
    chat = Chat(runtime, session)
    chat.say("你好")
    conversation = conversation_store.get(session, conversation_id=chat.conversation_id)
    case = case_store.create(session, conversation=conversation, reason="asked", priority=0, service_id=None,
                             summary={})
    written = {"text": "他家座机(010)65123456\u2066，别\u2069外传"}
    case_store.add_event(session, case=case, kind="note", actor="officer:wang", detail=written,
                         at=runtime.desk.clock())
    session.commit()
    [event] = case_store.events(session, case_id=case.id)
    assert views.case_event(event)["detail"] == {"text": "他家座机(010)****3456�，别�外传"}
    assert event.detail == written
