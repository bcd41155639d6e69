"""A realistic database to measure on: about a year of a city district's traffic, compressed into the last 60 days.

    python -m bench.seed DATABASE_URL --messages 1000000

For --messages N (the mix of 1M): N/10 conversations (1 in 10 with a returning citizen), N/50 cases of which 300 per
million still waiting and a few claimed, about 4.5 case events per case (chained like the engine chains them, so
`citizen-help audit verify` passes), a callback for one case in six, and one case whose conversation has 3,000
messages (an officer and a citizen writing back and forth for weeks). Citizens' questions are the guides' own
questions, decided as the matcher would record them: mostly answers, some details, clarifications and misses (the
knowledge gaps), a few asking for a person. Written through the project's schema (the Alembic migrations, then the
models' tables with bulk inserts, ids chosen here), in chunks committed one by one, with progress on stderr.
Deterministic for a given N and --seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, insert, select, text

from assistant import migrate
from assistant.store import trail
from assistant.store.db import make_engine
from assistant.store.models import (
    Callback,
    Case,
    CaseEvent,
    CaseEventText,
    ChannelIdentity,
    Citizen,
    Conversation,
    Message,
    Officer,
)
from assistant.store.types import utcnow
from knowledge.loader import load_knowledge

DAYS = 60
PER_CONVERSATION = 10  # messages, on average
CASE_EVERY = 5  # conversations per case
WAITING_PER_MILLION = 300
LONG_CASE = 3000  # messages
CHUNK = 5000  # conversations per transaction
CHANNELS = ("web", "telegram", "phone")
# What the matcher decided on a citizen's message, as the engine records it (meta.action), and how often.
ACTIONS = (("answer", 0.52), ("detail:materials", 0.08), ("detail:fee", 0.04), ("clarify", 0.1),
           ("not_understood", 0.08), ("out_of_scope", 0.06), ("offer_person", 0.03), ("need_topic", 0.02),
           ("human", 0.05), ("smalltalk", 0.015), ("emergency", 0.005))
GAP_TEXTS = ("我家猫丢了怎么办", "小区停车费谁定的", "手机上那个码怎么弄", "楼上漏水找谁", "广场舞太吵了能管吗",
             "退休了还能考驾照吗", "电动车上牌去哪里", "孙子上学要什么材料", "老年大学怎么报名", "医保卡密码忘了")
OPENINGS = ("", "", "请问", "你好，", "我想问一下", "同志，", "麻烦问下")
ENDINGS = ("", "", "？", "，谢谢", "，急", "啊", "，在线等")
OFFICERS = 12


@dataclass
class Counts:
    citizens: int = 0
    conversations: int = 0
    messages: int = 0
    cases: int = 0
    events: int = 0
    callbacks: int = 0
    started: float = field(default_factory=time.perf_counter)

    def line(self) -> str:
        return (f"{self.messages:>9,} messages {self.conversations:>8,} conversations {self.cases:>6,} cases "
                f"{self.events:>7,} events  {time.perf_counter() - self.started:6.1f} s")


class Chain:
    """The audit trail's hash chain, computed here as the engine computes it at commit."""

    def __init__(self) -> None:
        self.prev = trail.GENESIS

    def link(self, row: dict[str, Any]) -> dict[str, Any]:
        content = _Content(row["case_id"], row["kind"], row["actor"], row["officer_id"], row["detail"],
                           row["created_at"], row.get("text_hash"))
        row["prev_hash"] = self.prev
        row["event_hash"] = self.prev = trail.content_hash(content, prev_hash=self.prev)
        return row


@dataclass(frozen=True)
class _Content:
    case_id: int
    kind: str
    actor: str
    officer_id: int | None
    detail: dict[str, Any]
    created_at: dt.datetime
    text_hash: str | None


class Seeder:
    def __init__(self, engine: Engine, messages: int, *, seed: int, now: dt.datetime):
        self.engine, self.target, self.now = engine, messages, now
        self.random = random.Random(seed)
        self.start = now - dt.timedelta(days=DAYS)
        self.conversations = max(messages // PER_CONVERSATION, 1)
        self.cases_wanted = max(self.conversations // CASE_EVERY, 1)
        self.waiting = max(1, round(WAITING_PER_MILLION * messages / 1_000_000))
        texts, labels = load_knowledge().training_pairs()
        self.questions = [(t, lab) for t, lab in zip(texts, labels, strict=True)
                          if lab not in ("human", "emergency", "out_of_scope")]
        self.kinds = [a for a, _ in ACTIONS]
        self.weights = [w for _, w in ACTIONS]
        self.chain = Chain()
        self.counts = Counts()
        self.ids = {"citizen": 0, "identity": 0, "message": 0, "case": 0, "event": 0, "callback": 0}
        self.returning: list[tuple[int, int]] = []  # (citizen, identity) seen before

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def run(self) -> Counts:
        with self.engine.begin() as connection:
            officers = [{"id": n, "username": f"officer{n}", "name": f"工作人员{n}",
                         "role": "supervisor" if n == 1 else "officer", "password_hash": "!", "on_duty": n <= 4,
                         "created_at": self.start} for n in range(1, OFFICERS + 1)]
            connection.execute(insert(Officer), officers)
        # Conversations in time order, so ids grow with time as they do in service; the long case goes first.
        times = sorted(self.start + dt.timedelta(seconds=self.random.uniform(0, DAYS * 86400 - 3600))
                       for _ in range(self.conversations))
        long_at = min(len(times) - 1, len(times) // 2)
        budget = self.target - (LONG_CASE if self.target >= 10 * LONG_CASE else 0)
        per = [2 * self.random.randint(1, 9) for _ in times]  # 2..18, about 10
        scale = budget / max(sum(per), 1)
        per = [max(2, round(n * scale / 2) * 2) for n in per]
        case_every = max(1, len(times) // self.cases_wanted)
        waiting_from = len(times) - self.waiting * case_every  # the newest cases still wait
        for chunk in range(0, len(times), CHUNK):
            rows = _Rows()
            for n in range(chunk, min(chunk + CHUNK, len(times))):
                long = n == long_at and self.target >= 10 * LONG_CASE
                escalate = n % case_every == case_every - 1 or long
                status = "waiting" if n >= waiting_from else ("claimed" if n % 97 == 0 else "resolved")
                self.conversation(rows, times[n], LONG_CASE if long else per[n], escalate, status, long)
            self.write(rows)
            print(self.counts.line(), file=sys.stderr, flush=True)
        self.finish()
        return self.counts

    def citizen(self, rows: _Rows, at: dt.datetime) -> tuple[int, int, str]:
        if self.returning and self.random.random() < 0.1:
            citizen, identity = self.random.choice(self.returning)
            return citizen, identity, rows.channel_of.get(identity, "web")
        citizen, identity = self.next_id("citizen"), self.next_id("identity")
        channel = self.random.choices(CHANNELS, (0.5, 0.3, 0.2))[0]
        phone = f"139{citizen:08d}" if channel == "phone" else None
        rows.citizens.append({"id": citizen, "phone": phone, "created_at": at})
        external = phone if phone else uuid.UUID(int=self.random.getrandbits(128)).hex
        rows.identities.append({"id": identity, "citizen_id": citizen, "channel": channel, "external_id": external,
                                "proof": "first_contact", "code_failures": 0, "created_at": at})
        rows.channel_of[identity] = channel
        if len(self.returning) < 20000:
            self.returning.append((citizen, identity))
        self.counts.citizens += 1
        return citizen, identity, channel

    def conversation(self, rows: _Rows, at: dt.datetime, size: int, escalate: bool, status: str,
                     long: bool) -> None:
        citizen, identity, channel = self.citizen(rows, at)
        conversation = uuid.UUID(int=self.random.getrandbits(128)).hex
        step = dt.timedelta(seconds=900 if long else 40)  # the long case: 3,000 messages over a month
        case_id, case_at, officer = None, None, self.random.randint(1, OFFICERS)
        escalate_at = min(max(2, size // 3), size - 2) if escalate else size + 1  # messages before the hand-over
        when = at
        for k in range(0, size, 2):
            if k == escalate_at - escalate_at % 2 and escalate:
                case_id, case_at = self.case(rows, conversation, citizen, when, status, officer)
            question, label = self.random.choice(self.questions)
            action = "human" if case_id is not None and k == escalate_at - escalate_at % 2 else \
                self.random.choices(self.kinds, self.weights)[0]
            if action in ("not_understood", "out_of_scope", "need_topic"):  # a few hundred wordings
                question = self.random.choice(OPENINGS) + self.random.choice(GAP_TEXTS) + self.random.choice(ENDINGS)
            confidence = None if action == "human" else round(
                self.random.uniform(0.3, 0.6) if self.random.random() < 0.1 else self.random.uniform(0.6, 0.99), 3)
            meta = {"action": action, "label": label if action not in ("human",) else "human",
                    "confidence": confidence}
            rows.message(self, conversation, "citizen", question, meta, when, case_id)
            when += step
            answerer = "officer" if case_id is not None and (status != "waiting") else "assistant"
            reply = {"kind": "answer" if answerer == "assistant" else "officer", "choices": [], "speakable": True,
                     "priority": action == "emergency"}
            rows.message(self, conversation, answerer, "您好，办理需要带身份证原件，到街道便民服务中心窗口。", reply,
                         when, case_id, officer if answerer == "officer" else None)
            when += step
        rows.conversations.append({"id": conversation, "citizen_id": citizen, "identity_id": identity,
                                   "channel": channel, "state": {}, "created_at": at, "updated_at": when})
        self.counts.conversations += 1

    def case(self, rows: _Rows, conversation: str, citizen: int, at: dt.datetime, status: str,
             officer: int) -> tuple[int, dt.datetime]:
        case_id = self.next_id("case")
        service, _ = self.random.choice(self.questions)
        claimed = at + dt.timedelta(seconds=self.random.expovariate(1 / 240)) if status != "waiting" else None
        resolved = claimed + dt.timedelta(minutes=self.random.uniform(3, 40)) if status == "resolved" else None
        if resolved is not None and resolved > self.now:
            resolved = self.now
        emergency = self.random.random() < 0.01
        rows.cases.append({"id": case_id, "conversation_id": conversation, "citizen_id": citizen, "status": status,
                           "priority": 100 if emergency else 0, "reason": "emergency" if emergency else "asked",
                           "service_id": None, "summary": {"reason": "asked", "channel": "web", "said": [service]},
                           "claimed_by": officer if claimed else None, "feedback_asked": resolved is not None,
                           "created_at": at, "claimed_at": claimed, "resolved_at": resolved})
        self.event(rows, case_id, "opened", "citizen", None, {"reason": "asked", "priority": 0}, at)
        if claimed is not None:
            self.event(rows, case_id, "claimed", f"officer:officer{officer}", officer, {}, claimed)
            if self.random.random() < 0.5:
                self.event(rows, case_id, "officer_reply", f"officer:officer{officer}", officer, {}, claimed)
            if self.random.random() < 0.3:
                self.event(rows, case_id, "note", f"officer:officer{officer}", officer, {}, claimed,
                           words="老人耳背，说话慢一点")
        if resolved is not None:
            self.event(rows, case_id, "resolved", f"officer:officer{officer}", officer, {}, resolved)
            if self.random.random() < 0.6:
                self.event(rows, case_id, "feedback", "citizen", None, {"solved": self.random.random() < 0.8},
                           resolved + dt.timedelta(minutes=1))
        if self.random.random() < 1 / 6 and resolved is not None:
            due = at + dt.timedelta(hours=self.random.uniform(1, 30))
            state = "pending" if due > self.now else self.random.choices(("done", "missed", "pending"),
                                                                         (0.8, 0.15, 0.05))[0]
            done_at = due + dt.timedelta(minutes=self.random.uniform(-30, 300)) if state != "pending" else None
            rows.callbacks.append({"id": self.next_id("callback"), "case_id": case_id, "phone": "13912345678",
                                   "due_at": due, "status": state, "done_by": officer if done_at else None,
                                   "created_at": at, "done_at": done_at})
            self.counts.callbacks += 1
        self.counts.cases += 1
        return case_id, at

    def event(self, rows: _Rows, case_id: int, kind: str, actor: str, officer: int | None, detail: dict[str, Any],
              at: dt.datetime, words: str | None = None) -> None:
        event_id = self.next_id("event")
        row: dict[str, Any] = {"id": event_id, "case_id": case_id, "kind": kind, "actor": actor,
                               "officer_id": officer, "detail": detail, "created_at": at, "text_hash": None}
        if words is not None:
            salt = trail.new_salt()
            row["text_hash"] = trail.text_hash(salt, words)
            rows.texts.append({"event_id": event_id, "salt": salt, "text": words})
        rows.pending_events.append(row)
        self.counts.events += 1

    def write(self, rows: _Rows) -> None:
        # The chain runs in id order; ids were handed out in the order events happened within a conversation,
        # and conversations come in time order: as the service would have written them, near enough.
        events = [self.chain.link(row) for row in sorted(rows.pending_events, key=lambda r: r["id"])]
        with self.engine.begin() as connection:
            for model, batch in ((Citizen, rows.citizens), (ChannelIdentity, rows.identities),
                                 (Conversation, rows.conversations), (Case, rows.cases), (Message, rows.messages),
                                 (CaseEvent, events), (CaseEventText, rows.texts), (Callback, rows.callbacks)):
                for part in _parts(batch, 20000):
                    connection.execute(insert(model), part)
        self.counts.messages += len(rows.messages)

    def finish(self) -> None:
        """PostgreSQL's sequences past the ids chosen here, and fresh planner statistics on both databases."""
        with self.engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                for table in ("officers", "citizens", "channel_identities", "messages", "cases", "case_events",
                              "callbacks"):
                    connection.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                            f"(SELECT coalesce(max(id), 1) FROM {table}))"))
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


@dataclass
class _Rows:
    citizens: list[dict[str, Any]] = field(default_factory=list)
    identities: list[dict[str, Any]] = field(default_factory=list)
    conversations: list[dict[str, Any]] = field(default_factory=list)
    messages: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    pending_events: list[dict[str, Any]] = field(default_factory=list)
    texts: list[dict[str, Any]] = field(default_factory=list)
    callbacks: list[dict[str, Any]] = field(default_factory=list)
    channel_of: dict[int, str] = field(default_factory=dict)

    def message(self, seeder: Seeder, conversation: str, role: str, words: str, meta: dict[str, Any],
                at: dt.datetime, case_id: int | None, officer: int | None = None) -> None:
        self.messages.append({"id": seeder.next_id("message"), "conversation_id": conversation, "case_id": case_id,
                              "role": role, "officer_id": officer, "text": words, "meta": meta,
                              "created_at": min(at, seeder.now)})


def _parts(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def seed(url: str, messages: int, *, seed_value: int = 20, now: dt.datetime | None = None) -> Counts:
    """Migrates the (empty) database at url to the head and fills it."""
    migrate.upgrade(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if connection.scalar(select(func.count()).select_from(Message)):
                raise SystemExit("the database already has messages: seed an empty one")
        return Seeder(engine, messages, seed=seed_value, now=now or utcnow()).run()
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", metavar="DATABASE_URL")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=20)
    args = parser.parse_args()
    counts = seed(args.url, args.messages, seed_value=args.seed)
    print(f"seeded: {counts.citizens:,} citizens, {counts.line().strip()}, {counts.callbacks:,} callbacks")


if __name__ == "__main__":
    main()
