"""Keep the outlet exactly as the source gave it (null when none) beside the derived grouping outlet.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("source_outlet", sa.String(length=200), nullable=True))
    # Rows stored before this revision: the grouping outlet is the best record of what the source said.
    op.execute("UPDATE documents SET source_outlet = outlet WHERE outlet <> 'unknown'")


def downgrade() -> None:
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("source_outlet")
