"""A short audit trail to tamper with: case A is opened (#1), claimed (#2), noted (#3, words), replied to (#4);
case B is opened (#5), noted (#6, words) and resolved (#7, words); case A is handed back to the queue (#8). Three
commits, so the chain runs across transactions."""

from __future__ import annotations

from sqlalchemy.orm import Session

from assistant.store import cases, citizens, conversations
from assistant.store.models import Case


def write_trail(session: Session) -> None:
    def case(sender: str) -> Case:
        identity = citizens.identify(session, channel="web", external_id=sender)
        conversation = conversations.start(session, identity=identity)
        return cases.create(session, conversation=conversation, reason="asked", priority=0, service_id=None,
                            summary={})

    a, b = case("a"), case("b")
    cases.add_event(session, case=a, kind="opened", actor="citizen", detail={"reason": "asked", "priority": 0})
    cases.add_event(session, case=a, kind="claimed", actor="officer:wangfang")
    cases.add_event(session, case=a, kind="note", actor="officer:wangfang", words="儿子电话139****5678")
    session.commit()
    cases.add_event(session, case=a, kind="officer_reply", actor="officer:wangfang", detail={"message_id": 1})
    cases.add_event(session, case=b, kind="opened", actor="citizen", detail={"reason": "asked", "priority": 0})
    session.commit()
    cases.add_event(session, case=b, kind="note", actor="officer:liming", words="老人耳背")
    cases.add_event(session, case=b, kind="resolved", actor="officer:liming", words="已回电")
    cases.add_event(session, case=a, kind="handed_over", actor="officer:wangfang", detail={"to": None})
    session.commit()
