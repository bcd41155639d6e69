"""A backlog of personal data written at one time, through the project's schema, fast (bulk inserts): citizens
with a phone and a channel identity, ten messages per conversation, a case for every other conversation (three in
four still open) quoting the citizen, with an officer's note and a pending callback. For purge tests and
bench/purge.py."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from assistant.store import cases as case_store
from assistant.store.models import Callback, Case, ChannelIdentity, Citizen, Conversation, Message

SAID = "我电话13912345678，身份证11010519491231002X过期了咋换"


def seed(sessions: sessionmaker[Session], messages: int, *, at: dt.datetime) -> None:
    """About 1.45 rows to purge per message: messages, memories, summaries, notes, callbacks, phones, identities."""
    count = max(messages // 10, 1)
    with sessions() as session:
        citizens = session.scalars(insert(Citizen).returning(Citizen.id, sort_by_parameter_order=True),
                                   [{"phone": f"139{n:08d}", "created_at": at} for n in range(count)]).all()
        session.execute(insert(ChannelIdentity), [{"citizen_id": c, "channel": "web", "external_id": uuid.uuid4().hex,
                                                   "created_at": at} for c in citizens])
        conversations = [uuid.uuid4().hex for _ in citizens]
        session.execute(insert(Conversation), [{"id": v, "citizen_id": c, "channel": "web", "created_at": at,
                                                "state": {"last": [{"text": SAID}]}, "updated_at": at}
                                               for v, c in zip(conversations, citizens, strict=True)])
        session.execute(insert(Message), [{"conversation_id": v, "role": "citizen", "text": SAID, "created_at": at,
                                           "meta": {"action": "answer"}} for v in conversations for _ in range(10)])
        opened = [{"conversation_id": v, "citizen_id": c, "status": "resolved" if n % 4 == 0 else "waiting",
                   "priority": 0, "reason": "asked", "summary": {"phone": f"139{n:08d}", "said": [SAID]},
                   "created_at": at, "resolved_at": at if n % 4 == 0 else None}
                  for n, (v, c) in enumerate(zip(conversations, citizens, strict=True)) if n % 2 == 0]
        cases = session.scalars(insert(Case).returning(Case.id, sort_by_parameter_order=True), opened).all()
        session.execute(insert(Callback), [{"case_id": case_id, "phone": "13912345678", "due_at": at,
                                            "status": "pending", "created_at": at} for case_id in cases])
        session.commit()
        for case in session.scalars(select(Case).where(Case.id.in_(cases))):
            case_store.add_event(session, case=case, kind="opened", actor="citizen", at=at)
            case_store.add_event(session, case=case, kind="note", actor="officer:wangfang", words="老人耳背", at=at)
        session.commit()
