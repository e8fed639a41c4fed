"""Per-feed state of `discern watch`: validators for conditional requests, entry keys seen, the last poll.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_state",
        sa.Column("feed", sa.Text(), nullable=False),
        sa.Column("etag", sa.Text(), nullable=True),
        sa.Column("last_modified", sa.Text(), nullable=True),
        sa.Column("seen", sa.JSON(), nullable=False),
        sa.Column("last_poll", sa.String(length=32), nullable=True),
        sa.Column("last_success", sa.String(length=32), nullable=True),
        sa.Column("last_status", sa.Text(), nullable=True),
        sa.Column("last_new", sa.Integer(), nullable=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("feed"),
    )


def downgrade() -> None:
    op.drop_table("feed_state")
