"""Holder keys on bureau tickets (one waiting ticket per person across kiosks) and the hall's
shared facts (the secret the keys are made with).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("bureau_ticket", sa.Column("holder_key", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_bureau_ticket_holder", "bureau_ticket", ["holder_key", "queue", "service_day"]
    )
    op.create_table(
        "bureau_hall",
        sa.Column("key", sa.String(length=32), nullable=False),
        sa.Column("value", sa.String(length=128), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_bureau_hall")),
    )


def downgrade() -> None:
    op.drop_table("bureau_hall")
    op.drop_index("ix_bureau_ticket_holder", table_name="bureau_ticket")
    op.drop_column("bureau_ticket", "holder_key")
