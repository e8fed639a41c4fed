"""The map's verdict on each control assertion of a stored claim (docs/control-maps.md).

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "claim_verdicts",
        sa.Column("doc_id", sa.String(length=64), nullable=False),
        sa.Column("claim_idx", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("layer", sa.String(length=200), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("geonames_id", sa.Integer(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("holder", sa.String(length=2), nullable=False),
        sa.Column("as_of", sa.String(length=10), nullable=False),
        sa.Column("partial", sa.Boolean(), nullable=False),
        sa.Column("snapshot_date", sa.String(length=10), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("verdict", sa.String(length=16), nullable=False),
        sa.Column("agree_date", sa.String(length=10), nullable=True),
        sa.Column("lag_days", sa.Integer(), nullable=True),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("claimant", sa.Text(), nullable=True),
        sa.Column("computed_at", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(["doc_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("doc_id", "claim_idx", "ordinal", "layer"),
    )
    op.create_index("ix_claim_verdicts_verdict", "claim_verdicts", ["verdict"])


def downgrade() -> None:
    op.drop_index("ix_claim_verdicts_verdict", table_name="claim_verdicts")
    op.drop_table("claim_verdicts")
