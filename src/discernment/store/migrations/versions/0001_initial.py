"""Initial schema: runs, documents, analyses, one table per annotation layer, and full-text search.

Revision ID: 0001
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_at', sa.String(length=32), nullable=False),
    sa.Column('finished_at', sa.String(length=32), nullable=True),
    sa.Column('discernment_version', sa.String(length=32), nullable=False),
    sa.Column('pipeline', sa.Text(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('command', sa.Text(), nullable=True),
    sa.Column('documents_added', sa.Integer(), nullable=True),
    sa.Column('documents_updated', sa.Integer(), nullable=True),
    sa.Column('documents_skipped', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('documents',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('outlet', sa.String(length=200), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('path', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('genre', sa.String(length=16), nullable=True),
    sa.Column('genre_score', sa.Float(), nullable=True),
    sa.Column('words', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('duplicate_of', sa.String(length=64), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('pipeline', sa.Text(), nullable=False),
    sa.Column('ingested_at', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_documents_outlet'), 'documents', ['outlet'], unique=False)
    op.create_index(op.f('ix_documents_published'), 'documents', ['published'], unique=False)
    op.create_table('analyses',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('pipeline', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], ),
    sa.PrimaryKeyConstraint('doc_id', 'run_id')
    )
    op.create_table('claim_places',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('claim_idx', sa.Integer(), nullable=False),
    sa.Column('place_idx', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('geonames_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'claim_idx', 'place_idx')
    )
    op.create_index('ix_claim_places_geonames_id', 'claim_places', ['geonames_id'], unique=False)
    op.create_index('ix_claim_places_name', 'claim_places', ['name'], unique=False)
    op.create_table('claims',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('type', sa.String(length=24), nullable=True),
    sa.Column('claimant', sa.Text(), nullable=True),
    sa.Column('claimant_canonical', sa.Text(), nullable=True),
    sa.Column('claimant_start', sa.Integer(), nullable=True),
    sa.Column('claimant_end', sa.Integer(), nullable=True),
    sa.Column('via', sa.JSON(), nullable=True),
    sa.Column('hedged', sa.Boolean(), nullable=True),
    sa.Column('checkworthy', sa.Float(), nullable=True),
    sa.Column('quantities', sa.JSON(), nullable=True),
    sa.Column('dates', sa.JSON(), nullable=True),
    sa.Column('places', sa.JSON(), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'idx')
    )
    op.create_index('ix_claims_claimant_canonical', 'claims', ['claimant_canonical'], unique=False)
    op.create_index('ix_claims_date', 'claims', ['date'], unique=False)
    op.create_index('ix_claims_type', 'claims', ['type'], unique=False)
    op.create_table('entities',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('label', sa.String(length=16), nullable=True),
    sa.Column('canonical', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'idx')
    )
    op.create_index('ix_entities_canonical', 'entities', ['canonical'], unique=False)
    op.create_table('events',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=24), nullable=True),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('actor', sa.Text(), nullable=True),
    sa.Column('target', sa.Text(), nullable=True),
    sa.Column('place_text', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('date', sa.String(length=10), nullable=True),
    sa.Column('claim', sa.Integer(), nullable=True),
    sa.Column('fatalities', sa.Integer(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'idx')
    )
    op.create_index('ix_events_date', 'events', ['date'], unique=False)
    op.create_index('ix_events_place_text', 'events', ['place_text'], unique=False)
    op.create_index('ix_events_type', 'events', ['type'], unique=False)
    op.create_table('places',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('country_code', sa.String(length=2), nullable=True),
    sa.Column('admin1', sa.Text(), nullable=True),
    sa.Column('geonames_id', sa.Integer(), nullable=True),
    sa.Column('feature', sa.String(length=10), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'idx')
    )
    op.create_index('ix_places_geonames_id', 'places', ['geonames_id'], unique=False)
    op.create_index('ix_places_name', 'places', ['name'], unique=False)
    op.create_table('quotes',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=10), nullable=True),
    sa.Column('cue_start', sa.Integer(), nullable=True),
    sa.Column('cue_end', sa.Integer(), nullable=True),
    sa.Column('cue_text', sa.Text(), nullable=True),
    sa.Column('speaker_start', sa.Integer(), nullable=True),
    sa.Column('speaker_end', sa.Integer(), nullable=True),
    sa.Column('speaker_text', sa.Text(), nullable=True),
    sa.Column('speaker_canonical', sa.Text(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'idx')
    )
    op.create_index('ix_quotes_speaker_canonical', 'quotes', ['speaker_canonical'], unique=False)
    op.create_table('techniques',
    sa.Column('doc_id', sa.String(length=64), nullable=False),
    sa.Column('idx', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('technique', sa.String(length=48), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['doc_id'], ['documents.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('doc_id', 'idx')
    )
    op.create_index('ix_techniques_technique', 'techniques', ['technique'], unique=False)
    _create_full_text_search()


def _create_full_text_search() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # FTS5 index over title and text; rows are added and removed by the store with the document.
        op.execute("CREATE VIRTUAL TABLE documents_fts USING fts5(doc_id UNINDEXED, title, text, "
                   "tokenize='unicode61 remove_diacritics 2')")
    elif bind.dialect.name == "postgresql":
        op.execute("ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
                   "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED")
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING gin (tsv)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_index('ix_techniques_technique', table_name='techniques')
    op.drop_table('techniques')
    op.drop_index('ix_quotes_speaker_canonical', table_name='quotes')
    op.drop_table('quotes')
    op.drop_index('ix_places_name', table_name='places')
    op.drop_index('ix_places_geonames_id', table_name='places')
    op.drop_table('places')
    op.drop_index('ix_events_type', table_name='events')
    op.drop_index('ix_events_place_text', table_name='events')
    op.drop_index('ix_events_date', table_name='events')
    op.drop_table('events')
    op.drop_index('ix_entities_canonical', table_name='entities')
    op.drop_table('entities')
    op.drop_index('ix_claims_type', table_name='claims')
    op.drop_index('ix_claims_date', table_name='claims')
    op.drop_index('ix_claims_claimant_canonical', table_name='claims')
    op.drop_table('claims')
    op.drop_index('ix_claim_places_name', table_name='claim_places')
    op.drop_index('ix_claim_places_geonames_id', table_name='claim_places')
    op.drop_table('claim_places')
    op.drop_table('analyses')
    op.drop_index(op.f('ix_documents_published'), table_name='documents')
    op.drop_index(op.f('ix_documents_outlet'), table_name='documents')
    op.drop_table('documents')
    op.drop_table('runs')
