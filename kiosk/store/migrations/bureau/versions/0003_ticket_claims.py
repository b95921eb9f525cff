"""Ticket claims: one waiting ticket per holder, queue and day, enforced by the bureau across
kiosks (a kiosk claims the holder's key before it issues).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from kiosk.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ticket_claim",
        sa.Column("holder_key", sa.String(length=64), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("prefix", sa.String(length=1), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("claimed_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("holder_key", "queue", "service_day", name=op.f("pk_ticket_claim")),
    )
    op.create_index("ix_ticket_claim_day", "ticket_claim", ["service_day"])


def downgrade() -> None:
    op.drop_index("ix_ticket_claim_day", table_name="ticket_claim")
    op.drop_table("ticket_claim")
