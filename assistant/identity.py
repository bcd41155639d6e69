"""Who a citizen is across channels, on proof only.

A channel identity (a Telegram chat, a caller's number, a web page) is a citizen of its own until a proof joins it to
another: a phone number the channel verified (the carrier's caller number on a signed webhook, Telegram's shared
contact of the sender's own account), or a one-time link code shown on one channel and typed on another. A number
typed or said in a conversation proves nothing: it is a callback number for that case. Every link is recorded and a
supervisor can undo it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from assistant.privacy import mask_phone
from assistant.store import citizens as citizen_store
from assistant.store.db import changed
from assistant.store.models import ChannelIdentity, IdentityLink, LinkCode

CODE_DIGITS = 6
CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_CODE_FAILURES = 5  # wrong codes from one identity within the window; then it waits
CODE_FAILURE_WINDOW = dt.timedelta(hours=1)


class Proof(StrEnum):
    FIRST_CONTACT = "first_contact"
    CARRIER_CALLER_ID = "carrier_caller_id"
    TELEGRAM_CONTACT = "telegram_contact"
    LINK_CODE = "link_code"
    UNDONE = "undone"


class Redeemed(StrEnum):
    LINKED = "linked"
    ALREADY = "already"  # the code's identity is already the same citizen
    WRONG = "wrong"  # no such code, or it expired, or it was used
    LOCKED = "locked"  # too many wrong codes lately


@dataclass(frozen=True)
class Redemption:
    outcome: Redeemed
    link: IdentityLink | None = None
    issuer: ChannelIdentity | None = None


def verified_phone(session: Session, *, identity: ChannelIdentity, phone: str, proof: Proof,
                   at: dt.datetime) -> IdentityLink | None:
    """A number the channel verified belongs to this identity's citizen; if another citizen was verified with it
    already, they are the same person and are joined (recorded)."""
    known = citizen_store.with_verified_phone(session, phone=phone)
    if known is None or known.id == identity.citizen_id:
        identity.citizen.phone = phone
        session.flush()
        return None
    return citizen_store.join(session, identity=identity, into=known, proof=proof,
                              detail={"phone": mask_phone(phone)}, at=at)


def issue_code(session: Session, *, identity: ChannelIdentity, secret: bytes, at: dt.datetime) -> str:
    """A new code for this identity (an earlier one stops working); expired codes are forgotten."""
    session.execute(delete(LinkCode).where((LinkCode.expires_at < at) | (LinkCode.identity_id == identity.id)))
    while True:
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        digest = _digest(code, secret)
        if session.scalar(select(LinkCode.id).where(LinkCode.digest == digest)) is None:
            break
    session.add(LinkCode(digest=digest, identity=identity, created_at=at, expires_at=at + CODE_LIFETIME))
    session.flush()
    return code


def redeem_code(session: Session, *, identity: ChannelIdentity, code: str, secret: bytes,
                at: dt.datetime) -> Redemption:
    """The identity typing a code joins the citizen who was shown it."""
    if _locked(identity, at):
        return Redemption(Redeemed.LOCKED)
    digits = "".join(c for c in code if c.isdigit())
    found = session.scalar(select(LinkCode).where(LinkCode.digest == _digest(digits, secret)))
    if found is None or found.expires_at <= at or not _use(session, found, at):
        _failed(identity, at)
        session.flush()
        return Redemption(Redeemed.WRONG)
    issuer = found.identity
    if issuer.citizen_id == identity.citizen_id:
        session.flush()
        return Redemption(Redeemed.ALREADY, issuer=issuer)
    link = citizen_store.join(session, identity=identity, into=issuer.citizen, proof=Proof.LINK_CODE,
                              detail={"channel": issuer.channel}, at=at)
    return Redemption(Redeemed.LINKED, link, issuer)


def _use(session: Session, code: LinkCode, at: dt.datetime) -> bool:
    """Marks the code used, unless someone else did first: two at once cannot both redeem it."""
    taken = session.execute(update(LinkCode).where(LinkCode.id == code.id, LinkCode.used_at.is_(None))
                            .values(used_at=at).execution_options(synchronize_session=False))
    return changed(taken) == 1


def _digest(code: str, secret: bytes) -> str:
    """Keyed, so a copy of the table does not give the codes away (a million codes are quickly tried)."""
    return hmac.new(secret, code.encode(), hashlib.sha256).hexdigest()


def _locked(identity: ChannelIdentity, at: dt.datetime) -> bool:
    since = identity.code_failures_since
    return since is not None and at - since < CODE_FAILURE_WINDOW and identity.code_failures >= MAX_CODE_FAILURES


def _failed(identity: ChannelIdentity, at: dt.datetime) -> None:
    since = identity.code_failures_since
    if since is None or at - since >= CODE_FAILURE_WINDOW:
        identity.code_failures, identity.code_failures_since = 0, at
    identity.code_failures += 1
