"""Identities joined on proof only: recorded links, one-time link codes, each conversation tied to its own chat or
caller; and the links made before from typed numbers are no longer trusted.

Until now a number a citizen typed into the callback prompt merged them with whoever had that number, so a stranger
could join another citizen's history. Nothing recorded which joins were proven, so none is kept: every identity
becomes a citizen of its own again (its conversations and cases with it), and a citizen keeps a phone number only
when it is the number of their own phone identity (a caller's number). Links are made again, on proof, the next time
a citizen shares their contact or types a link code. A conversation whose chat cannot be told apart (its citizen had
several identities on its channel) stays on a citizen of its own.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00.000000

"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

citizens = sa.table("citizens", sa.column("id", sa.Integer), sa.column("phone", sa.String),
                    sa.column("created_at", sa.DateTime(timezone=True)))
identities = sa.table("channel_identities", sa.column("id", sa.Integer), sa.column("citizen_id", sa.Integer),
                      sa.column("channel", sa.String), sa.column("external_id", sa.String),
                      sa.column("created_at", sa.DateTime(timezone=True)))
conversations = sa.table("conversations", sa.column("id", sa.String), sa.column("citizen_id", sa.Integer),
                         sa.column("identity_id", sa.Integer), sa.column("channel", sa.String),
                         sa.column("created_at", sa.DateTime(timezone=True)))
cases = sa.table("cases", sa.column("conversation_id", sa.String), sa.column("citizen_id", sa.Integer))


def upgrade() -> None:
    """Upgrade schema."""
    op.add_column("channel_identities",
                  sa.Column("proof", sa.String(length=32), nullable=False, server_default="first_contact"))
    op.add_column("channel_identities",
                  sa.Column("code_failures", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("channel_identities", sa.Column("code_failures_since", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.alter_column("proof", server_default=None)
        batch_op.alter_column("code_failures", server_default=None)
    _add_identity_column()
    op.create_index(op.f("ix_conversations_identity_id"), "conversations", ["identity_id"], unique=False)
    op.create_table(
        "identity_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("citizen_id", sa.Integer(), nullable=False),
        sa.Column("from_citizen_id", sa.Integer(), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("moved", sa.JSON(), nullable=False),
        sa.Column("proof", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["citizen_id"], ["citizens.id"], name=op.f("fk_identity_links_citizen_id_citizens")),
        sa.ForeignKeyConstraint(["from_citizen_id"], ["citizens.id"],
                                name=op.f("fk_identity_links_from_citizen_id_citizens")),
        sa.ForeignKeyConstraint(["identity_id"], ["channel_identities.id"],
                                name=op.f("fk_identity_links_identity_id_channel_identities")),
        sa.ForeignKeyConstraint(["undone_by"], ["officers.id"], name=op.f("fk_identity_links_undone_by_officers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_links")),
    )
    op.create_index(op.f("ix_identity_links_citizen_id"), "identity_links", ["citizen_id"], unique=False)
    op.create_index(op.f("ix_identity_links_from_citizen_id"), "identity_links", ["from_citizen_id"], unique=False)
    op.create_table(
        "link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("identity_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["identity_id"], ["channel_identities.id"],
                                name=op.f("fk_link_codes_identity_id_channel_identities")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_codes")),
        sa.UniqueConstraint("digest", name=op.f("uq_link_codes_digest")),
    )
    op.create_index(op.f("ix_link_codes_identity_id"), "link_codes", ["identity_id"], unique=False)
    _stop_trusting_typed_links(op.get_bind())


def _add_identity_column() -> None:
    """On SQLite in place: a batch copy of the table would have to drop the old one, which the messages and cases
    that refer to it forbid while foreign keys are on."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE conversations ADD COLUMN identity_id INTEGER "
                   "CONSTRAINT fk_conversations_identity_id_channel_identities REFERENCES channel_identities (id)")
        return
    op.add_column("conversations", sa.Column("identity_id", sa.Integer(), nullable=True))
    op.create_foreign_key(op.f("fk_conversations_identity_id_channel_identities"), "conversations",
                          "channel_identities", ["identity_id"], ["id"])


def _stop_trusting_typed_links(bind: sa.Connection) -> None:
    """Every identity a citizen of its own; conversations and cases follow their identity; phones only if proven."""
    by_citizen: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for identity_id, citizen_id, channel, external_id in bind.execute(
            sa.select(identities.c.id, identities.c.citizen_id, identities.c.channel, identities.c.external_id)
            .order_by(identities.c.id)):
        by_citizen[citizen_id].append((identity_id, channel, external_id))
    owner: dict[int, int] = {}  # identity id -> its citizen after the split
    for citizen_id, rows in by_citizen.items():
        owner[rows[0][0]] = citizen_id
        for identity_id, _, _ in rows[1:]:
            owner[identity_id] = _new_citizen(bind)
            bind.execute(sa.update(identities).where(identities.c.id == identity_id)
                         .values(citizen_id=owner[identity_id]))
    for conversation_id, citizen_id, channel in bind.execute(
            sa.select(conversations.c.id, conversations.c.citizen_id, conversations.c.channel)).all():
        known = by_citizen.get(citizen_id, [])
        same_channel = [identity_id for identity_id, ch, _ in known if ch == channel]
        if len(same_channel) == 1:
            identity_id = same_channel[0]
            values: dict[str, int | None] = {"identity_id": identity_id, "citizen_id": owner[identity_id]}
        elif not known:  # a citizen whose identities a purge forgot: nobody left to be confused with
            values = {"identity_id": None, "citizen_id": citizen_id}
        else:
            values = {"identity_id": None, "citizen_id": _new_citizen(bind)}
        bind.execute(sa.update(conversations).where(conversations.c.id == conversation_id).values(**values))
        bind.execute(sa.update(cases).where(cases.c.conversation_id == conversation_id)
                     .values(citizen_id=values["citizen_id"]))
    own_numbers = {owner[identity_id]: external_id for rows in by_citizen.values()
                   for identity_id, channel, external_id in rows if channel == "phone"}
    for citizen_id, phone in bind.execute(sa.select(citizens.c.id, citizens.c.phone)
                                          .where(citizens.c.phone.is_not(None))).all():
        if own_numbers.get(citizen_id) != phone:
            bind.execute(sa.update(citizens).where(citizens.c.id == citizen_id).values(phone=None))


def _new_citizen(bind: sa.Connection) -> int:
    now = dt.datetime.now(dt.UTC)
    created = now.replace(tzinfo=None) if bind.dialect.name == "sqlite" else now  # as UTCDateTime stores it
    return int(bind.execute(sa.insert(citizens).values(phone=None, created_at=created).returning(citizens.c.id))
               .scalar_one())


def downgrade() -> None:
    """Downgrade schema. Citizens split by the upgrade stay split: which of them had been wrongly joined is unknown."""
    op.drop_index(op.f("ix_link_codes_identity_id"), table_name="link_codes")
    op.drop_table("link_codes")
    op.drop_index(op.f("ix_identity_links_from_citizen_id"), table_name="identity_links")
    op.drop_index(op.f("ix_identity_links_citizen_id"), table_name="identity_links")
    op.drop_table("identity_links")
    op.drop_index(op.f("ix_conversations_identity_id"), table_name="conversations")
    if op.get_bind().dialect.name == "sqlite":  # in place, like the upgrade: a batch copy cannot drop the table
        op.execute("ALTER TABLE conversations DROP COLUMN identity_id")
    else:
        op.drop_constraint(op.f("fk_conversations_identity_id_channel_identities"), "conversations",
                           type_="foreignkey")
        op.drop_column("conversations", "identity_id")
    with op.batch_alter_table("channel_identities", schema=None) as batch_op:
        batch_op.drop_column("code_failures_since")
        batch_op.drop_column("code_failures")
        batch_op.drop_column("proof")
