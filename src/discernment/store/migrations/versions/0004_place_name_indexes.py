"""Case-insensitive indexes on place names and texts (place filters, spelling expansion in search).

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_places_name_lower", "places", [sa.text("lower(name)")])
    op.create_index("ix_places_text_lower", "places", [sa.text("lower(text)")])
    op.create_index("ix_claim_places_name_lower", "claim_places", [sa.text("lower(name)")])


def downgrade() -> None:
    op.drop_index("ix_claim_places_name_lower", "claim_places")
    op.drop_index("ix_places_text_lower", "places")
    op.drop_index("ix_places_name_lower", "places")
