"""Help requests (呼叫导服) kept until staff close them.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from kiosk.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "help_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("screen", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("requested_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime(), nullable=True),
        sa.Column("closed_by", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.create_index("ix_help_request_open", ["closed_at", "requested_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_index("ix_help_request_open")
    op.drop_table("help_request")
