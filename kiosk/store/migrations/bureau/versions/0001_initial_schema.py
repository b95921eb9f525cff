"""Initial schema of the bureau database.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from kiosk.store.types import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bureau_kiosk",
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("kiosk_index", sa.Integer(), nullable=False),
        sa.Column("registered_at", UTCDateTime(), nullable=False),
        sa.Column("last_seen_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kiosk_id", name=op.f("pk_bureau_kiosk")),
        sa.UniqueConstraint("kiosk_index", name=op.f("uq_bureau_kiosk_kiosk_index")),
    )
    op.create_table(
        "bureau_rating",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("level", sa.String(length=24), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "level IN ('very_satisfied', 'satisfied', 'basically_satisfied', "
            "'dissatisfied', 'very_dissatisfied')",
            name=op.f("ck_bureau_rating_level"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_rating")),
    )
    op.create_table(
        "bureau_submission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("target_kind", sa.String(length=8), nullable=False),
        sa.Column("target_code", sa.String(length=64), nullable=False),
        sa.Column("item_codes", sa.JSON(), nullable=False),
        sa.Column("catalog_version", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("notice", sa.JSON(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=True),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('received', 'accepted', 'more_materials', 'approved', 'rejected', 'ready')",
            name=op.f("ck_bureau_submission_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_submission")),
        sa.UniqueConstraint("code", name=op.f("uq_bureau_submission_code")),
    )
    with op.batch_alter_table("bureau_submission", schema=None) as batch_op:
        batch_op.create_index("ix_bureau_submission_day", ["service_day"], unique=False)
        batch_op.create_index(
            "ix_bureau_submission_kiosk_changed", ["kiosk_id", "status_changed_at"], unique=False
        )

    op.create_table(
        "bureau_ticket",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=1), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("band", sa.String(length=8), nullable=False),
        sa.Column("priority", sa.Boolean(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.Column("printed_at", UTCDateTime(), nullable=True),
        sa.Column("received_at", UTCDateTime(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("window", sa.Integer(), nullable=True),
        sa.Column("called_at", UTCDateTime(), nullable=True),
        sa.Column("done_at", UTCDateTime(), nullable=True),
        sa.Column("status_changed_at", UTCDateTime(), nullable=False),
        sa.Column("payload_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "status IN ('waiting', 'called', 'done', 'no_show')",
            name=op.f("ck_bureau_ticket_status"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bureau_ticket")),
        sa.UniqueConstraint("queue", "service_day", "seq", name="uq_bureau_ticket_number"),
    )
    with op.batch_alter_table("bureau_ticket", schema=None) as batch_op:
        batch_op.create_index(
            "ix_bureau_ticket_kiosk_changed", ["kiosk_id", "status_changed_at"], unique=False
        )
        batch_op.create_index(
            "ix_bureau_ticket_waiting", ["queue", "service_day", "status"], unique=False
        )

    op.create_table(
        "ticket_counter",
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("next_seq", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("queue", "service_day", name=op.f("pk_ticket_counter")),
    )
    op.create_table(
        "ticket_lease",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("queue", sa.String(length=64), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("kiosk_id", sa.String(length=64), nullable=False),
        sa.Column("first", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.Column("leased_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_lease")),
    )
    with op.batch_alter_table("ticket_lease", schema=None) as batch_op:
        batch_op.create_index("ix_ticket_lease_queue", ["queue", "service_day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket_lease", schema=None) as batch_op:
        batch_op.drop_index("ix_ticket_lease_queue")

    op.drop_table("ticket_lease")
    op.drop_table("ticket_counter")
    with op.batch_alter_table("bureau_ticket", schema=None) as batch_op:
        batch_op.drop_index("ix_bureau_ticket_waiting")
        batch_op.drop_index("ix_bureau_ticket_kiosk_changed")

    op.drop_table("bureau_ticket")
    with op.batch_alter_table("bureau_submission", schema=None) as batch_op:
        batch_op.drop_index("ix_bureau_submission_kiosk_changed")
        batch_op.drop_index("ix_bureau_submission_day")

    op.drop_table("bureau_submission")
    op.drop_table("bureau_rating")
    op.drop_table("bureau_kiosk")
