"""The tables: citizens and their channel identities, conversations and messages, cases and their audit trail,
officers, their sessions and failed logins, and callbacks; what staff taught the assistant (training questions,
guide drafts); scheduled jobs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from assistant.store import search_index as _search_index
from assistant.store.types import UTCDateTime, utcnow

# Named constraints, so migrations can alter them on every database.
NAMING = {"ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_N_name)s",
          "ck": "ck_%(table_name)s_%(constraint_name)s",
          "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s", "pk": "pk_%(table_name)s"}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON()}


def _new_id() -> str:
    return uuid.uuid4().hex  # unguessable: a web page keeps it as its only key to the conversation


class Citizen(Base):
    """One person, as far as proof goes: the channel identities joined by a verified number or a link code."""

    __tablename__ = "citizens"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Only a number a channel verified (the carrier's caller number, Telegram's shared contact), never one typed.
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    identities: Mapped[list[ChannelIdentity]] = relationship(back_populates="citizen")


class ChannelIdentity(Base):
    """The same citizen on Telegram, the web page and the phone: one row per (channel, their id there)."""

    __tablename__ = "channel_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(128))
    # How it came to belong to its citizen (assistant/identity.py Proof): its own first contact, or a link.
    proof: Mapped[str] = mapped_column(String(32), default="first_contact")
    code_failures: Mapped[int] = mapped_column(Integer, default=0)  # wrong link codes typed since
    code_failures_since: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    citizen: Mapped[Citizen] = relationship(back_populates="identities")


class IdentityLink(Base):
    """Identities joined to a citizen on proof: which, from whom, on what proof, when; undone by a supervisor."""

    __tablename__ = "identity_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)  # joined into
    from_citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)  # taken from
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identities.id"))  # the one that brought the proof
    moved: Mapped[list[int]] = mapped_column(JSON, default=list)  # every identity that moved with it
    proof: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)  # e.g. the number, masked
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[dt.datetime | None]
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))

    identity: Mapped[ChannelIdentity] = relationship()


class LinkCode(Base):
    """A one-time code shown on one channel and typed on another: short-lived, single use, kept only as a digest."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    identity_id: Mapped[int] = mapped_column(ForeignKey("channel_identities.id"), index=True)  # who was shown it
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]

    identity: Mapped[ChannelIdentity] = relationship()


class Conversation(Base):
    __tablename__ = "conversations"
    # A citizen's conversations newest first (their history for an officer); quiet ones for the purge (migration 0008).
    __table_args__ = (Index("ix_conversations_citizen_id_created_at", "citizen_id", "created_at"),
                      Index("ix_conversations_updated_at", "updated_at"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_new_id)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"))
    # The chat or caller it is with: replies go there, and only there. None: an older conversation whose identity
    # could not be told apart (migration 0004).
    identity_id: Mapped[int | None] = mapped_column(ForeignKey("channel_identities.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the dialogue's memory (DialogueState)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    citizen: Mapped[Citizen] = relationship()
    identity: Mapped[ChannelIdentity | None] = relationship()


class Message(Base):
    __tablename__ = "messages"
    # role, created_at: citizens' questions of the last days, for the public figures and the knowledge gaps.
    __table_args__ = (Index("ix_messages_conversation_id_id", "conversation_id", "id"),
                      Index("ix_messages_role_created_at", "role", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # citizen | assistant | officer
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    text: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)  # reply kind, choices, flags; the matcher's decision
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    officer: Mapped[Officer | None] = relationship()


class PendingPush(Base):
    """A message for a chat that shows only what is pushed to it (Telegram), not yet delivered there. Written with
    the message, in its transaction; removed once delivered. A channel that was down or unreachable delivers these
    when it comes back (bot/redelivery.py)."""

    __tablename__ = "pending_pushes"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)  # its messages in order
    channel: Mapped[str] = mapped_column(String(32))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    due_at: Mapped[dt.datetime] = mapped_column(index=True)  # the next try, if the live delivery has not succeeded
    last_error: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    message: Mapped[Message] = relationship()


class Replay(Base):
    """A request that takes effect once however often it arrives: a chat message sent again after a dropped
    connection, a carrier's webhook retried or replayed, a Telegram update delivered twice. Kept a few days, long
    enough for any retry (assistant/store/replays.py): the answer kept may read out what the assistant said."""

    __tablename__ = "replays"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(96))  # whose keys: "web:<conversation id>", "phone:<CallSid>", ...
    key: Mapped[str] = mapped_column(String(96))  # an Idempotency-Key, "gather:3", an update_id
    digest: Mapped[str | None] = mapped_column(String(64))  # of what was asked: the key reused for another is refused
    conversation_id: Mapped[str | None] = mapped_column(String(32))  # no foreign key: outlives a purged conversation
    message_ids: Mapped[list[int]] = mapped_column(JSON, default=list)  # the turn it stored, in order
    answer: Mapped[str | None] = mapped_column(Text)  # what the channel answered (TwiML), to answer the same again
    done: Mapped[bool] = mapped_column(Boolean, default=True)  # False: being handled since claimed_at
    claimed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)


class Officer(Base):
    __tablename__ = "officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # officer | supervisor | admin
    password_hash: Mapped[str] = mapped_column(String(255))
    on_duty: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    disabled_at: Mapped[dt.datetime | None]  # set: cannot log in, every session of theirs has ended
    last_login_at: Mapped[dt.datetime | None]


class OfficerSession(Base):
    """A staff console login, kept on the server. The browser holds a random key; this row holds only its hash, so
    a copy of the database opens no session. Used when Redis is not configured (assistant/redis_sessions.py)."""

    __tablename__ = "officer_sessions"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officers.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    stamp: Mapped[str] = mapped_column(String(64))  # of the password at login: a new password ends the session
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]


class LoginFailure(Base):
    """A failed staff login, so supervisors see bursts: the name as typed (numbers masked) and the address."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    known: Mapped[bool] = mapped_column(Boolean)  # an officer has this name
    address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(index=True)


class Case(Base):
    """A citizen handed to a person: what they need, how urgent, who has it."""

    __tablename__ = "cases"
    # status, resolved_at: recently resolved cases (the wait estimate, the purge); created_at: the public figures.
    __table_args__ = (Index("ix_cases_status_priority_created_at", "status", "priority", "created_at"),
                      Index("ix_cases_status_resolved_at", "status", "resolved_at"),
                      Index("ix_cases_created_at", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"), index=True)
    citizen_id: Mapped[int] = mapped_column(ForeignKey("citizens.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="waiting")  # waiting | claimed | resolved
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher first: emergencies
    reason: Mapped[str] = mapped_column(String(32))  # asked | two_misses | emergency | out_of_scope | reopened
    service_id: Mapped[str | None] = mapped_column(String(64))
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)  # matched service, what was said and given
    claimed_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    feedback_asked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]

    conversation: Mapped[Conversation] = relationship()
    officer: Mapped[Officer | None] = relationship()


class CaseEvent(Base):
    """The audit trail: who did what to a case, and when. Rows are only ever added, and each is chained to the one
    before it (assistant/store/trail.py): its hash covers its content and the previous event's hash."""

    __tablename__ = "case_events"
    __table_args__ = (Index("ix_case_events_kind_created_at", "kind", "created_at"),)  # claims, resolutions, feedback

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(64))  # "citizen", "assistant", "purge" or "officer:<username>"
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # sha256(salt + text) of the officer's words kept beside the event (CaseEventText), which a purge may clear.
    text_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # unique: the chain cannot fork
    event_hash: Mapped[str] = mapped_column(String(64))

    text_record: Mapped[CaseEventText | None] = relationship(lazy="selectin")


class CaseEventText(Base):
    """An officer's words on a case (a note, a hand-over or resolve note), outside the chained event, which holds
    only their salted hash: a purge deletes the row and the trail still verifies."""

    __tablename__ = "case_event_texts"

    event_id: Mapped[int] = mapped_column(ForeignKey("case_events.id"), primary_key=True)
    salt: Mapped[str] = mapped_column(String(32))  # random: a short text cannot be guessed back from its hash
    text: Mapped[str] = mapped_column(Text)


class Callback(Base):
    __tablename__ = "callbacks"
    __table_args__ = (Index("ix_callbacks_status_due_at", "status", "due_at"),)  # the pending ones, soonest first

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    phone: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[dt.datetime] = mapped_column(index=True)  # those due on a day (the figures)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | done | missed
    done_by: Mapped[int | None] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    done_at: Mapped[dt.datetime | None]


class StatsDay(Base):
    """The public figures of one local day that has ended, counted once (assistant/stats.py): what a day's rows
    say does not change after it, so /api/stats adds up these instead of reading a month of messages each time."""

    __tablename__ = "stats_days"
    __table_args__ = (UniqueConstraint("zone", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))  # the time zone whose day it is (TIMEZONE)
    day: Mapped[dt.date]
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    computed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScheduledJob(Base):
    """When a job that runs once a day for the whole deployment (the purge) was last started, by whichever worker."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    started_at: Mapped[dt.datetime]


class TrainingQuestion(Base):
    """A citizen's question a supervisor attached to a label (a guide, a draft or out_of_scope): training material."""

    __tablename__ = "training_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(Text)  # as the citizen put it, ID and phone numbers masked
    label: Mapped[str] = mapped_column(String(64), index=True)
    source_message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), index=True)
    added_by: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class GuideDraft(Base):
    """A new service guide written by a supervisor; it joins training once it passes the guide schema."""

    __tablename__ = "guide_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)  # the fields of knowledge.schema.Guide
    created_by: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AppendOnlyError(RuntimeError):
    """A case event was about to be changed or deleted: the audit trail only grows."""


@event.listens_for(CaseEvent, "before_update")
@event.listens_for(CaseEvent, "before_delete")
def _refuse_change(mapper: object, connection: object, target: CaseEvent) -> None:
    raise AppendOnlyError(f"case event {target.id} is part of the audit trail and cannot be changed")


# The database itself refuses to change or remove an event, whatever code (or hand-typed SQL) tries. SQLite's
# INSERT OR REPLACE deletes the row it replaces without firing delete triggers (unless recursive_triggers is on,
# which a hand-opened connection does not set): the insert trigger refuses an id or a place in the chain already
# taken. The same statements are in migrations 0002 and 0005; here they follow create_all (tests, first runs).
APPEND_ONLY_DDL = {
    "sqlite": [
        "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
        "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END",
        "CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events "
        "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END",
        "CREATE TRIGGER case_events_no_replace BEFORE INSERT ON case_events "
        "WHEN EXISTS (SELECT 1 FROM case_events WHERE id = NEW.id OR prev_hash = NEW.prev_hash) "
        "BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'case events are append-only'; END $$",
        "CREATE TRIGGER case_events_no_change BEFORE UPDATE OR DELETE ON case_events "
        "FOR EACH ROW EXECUTE FUNCTION case_events_append_only()",
        "CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events "
        "FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only()",
    ],
}
for _dialect, _statements in APPEND_ONLY_DDL.items():
    for _statement in _statements:
        ddl = DDL(_statement)  # type: ignore[no-untyped-call]  # SQLAlchemy leaves DDL.__init__ unannotated
        event.listen(CaseEvent.__table__, "after_create", ddl.execute_if(dialect=_dialect))

# The officers' search indexes (assistant/store/search_index.py: FTS5 trigram / pg_trgm, phone endings).
_search_index.install(Base.metadata)


class CannedReply(Base):
    """A reply officers insert often, kept by supervisors (the console's reply box finds it by its title)."""

    __tablename__ = "canned_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(64), unique=True)
    text: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int] = mapped_column(ForeignKey("officers.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
