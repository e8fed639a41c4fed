"""The store's tables (SQLAlchemy Core). Every annotation row keeps the offsets of its record in the text.

Layers are stored one row per record, keyed by (doc_id, idx) where ``idx`` is the record's position in its
layer, so ``claims[i].places`` and ``events[j].claim`` indexes stay valid. Nested parts that are only ever
read with their parent (a claim's quantities and dates) are JSON columns; everything that is filtered on
(type, claimant, place, technique, dates, outlet) is a plain indexed column.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    func,
)

metadata = MetaData()

runs = Table(
    "runs", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("started_at", String(32), nullable=False),
    Column("finished_at", String(32)),
    Column("discernment_version", String(32), nullable=False),
    Column("pipeline", Text, nullable=False),  # component names and versions
    Column("config", JSON, nullable=False),  # the full settings used
    Column("command", Text),
    Column("documents_added", Integer, default=0),
    Column("documents_updated", Integer, default=0),
    Column("documents_skipped", Integer, default=0),
)

documents = Table(
    "documents", metadata,
    Column("id", String(64), primary_key=True),  # sha256 of the normalised text
    Column("outlet", String(200), nullable=False, index=True),  # for grouping: the source's, else URL host
    Column("source_outlet", String(200)),  # exactly as the source gave it (null when it gave none)
    Column("url", Text),
    Column("title", Text),
    Column("published", String(10), index=True),  # YYYY-MM-DD
    Column("author", Text),
    Column("path", Text),
    Column("language", String(8)),
    Column("genre", String(16)),
    Column("genre_score", Float),
    Column("words", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("duplicate_of", String(64)),
    Column("run_id", Integer, ForeignKey("runs.id"), nullable=False),
    Column("pipeline", Text, nullable=False),
    Column("ingested_at", String(32), nullable=False),
)

# Every analysis of a document, so re-analysis by a newer pipeline is on record.
analyses = Table(
    "analyses", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("run_id", Integer, ForeignKey("runs.id"), primary_key=True),
    Column("pipeline", Text, nullable=False),
    Column("action", String(16), nullable=False),  # added | updated
)


def _layer(name: str, *columns: Column, indexes: tuple[str, ...] = ()) -> Table:
    table = Table(
        name, metadata,
        Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
        Column("idx", Integer, primary_key=True),
        *columns,
    )
    for col in indexes:
        Index(f"ix_{name}_{col}", table.c[col])
    return table


def _span(prefix: str = "") -> list[Column]:
    return [Column(f"{prefix}start", Integer), Column(f"{prefix}end", Integer), Column(f"{prefix}text", Text)]


entities = _layer(
    "entities", *_span(), Column("label", String(16)), Column("canonical", Text), indexes=("canonical",)
)

places = _layer(
    "places", *_span(), Column("name", Text), Column("lat", Float), Column("lon", Float),
    Column("country_code", String(2)), Column("admin1", Text), Column("geonames_id", Integer),
    Column("feature", String(10)), Column("score", Float), Column("extra", JSON),
    indexes=("name", "geonames_id"),
)

quotes = _layer(
    "quotes", *_span(), Column("kind", String(10)),
    *_span("cue_"), *_span("speaker_"), Column("speaker_canonical", Text), Column("extra", JSON),
    indexes=("speaker_canonical",),
)

claims = _layer(
    "claims", *_span(), Column("type", String(24)),
    Column("claimant", Text), Column("claimant_canonical", Text), Column("claimant_start", Integer),
    Column("claimant_end", Integer), Column("via", JSON), Column("hedged", Boolean), Column("checkworthy", Float),
    Column("quantities", JSON), Column("dates", JSON), Column("places", JSON),
    Column("date", String(10)),  # the first resolved date in the claim, else the publication date
    Column("extra", JSON),
    indexes=("type", "claimant_canonical", "date"),
)

# claim -> place links, denormalised with the place's resolved name and GeoNames id for filtering.
claim_places = Table(
    "claim_places", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_idx", Integer, primary_key=True),
    Column("place_idx", Integer, primary_key=True),
    Column("name", Text),
    Column("geonames_id", Integer),
    Index("ix_claim_places_name", "name"),
    Index("ix_claim_places_geonames_id", "geonames_id"),
)

events = _layer(
    "events", Column("type", String(24)), Column("start", Integer), Column("end", Integer),
    Column("actor", Text), Column("target", Text), Column("place_text", Text), Column("lat", Float),
    Column("lon", Float), Column("date", String(10)), Column("claim", Integer), Column("fatalities", Integer),
    Column("extra", JSON),
    indexes=("type", "date", "place_text"),
)

techniques = _layer(
    "techniques", *_span(), Column("technique", String(48)), Column("score", Float), indexes=("technique",),
)

# Sentence vectors of claims (migration 0002). No component writes them any more: cross-source comparison works
# on assertions (docs/assertions.md); the table stays so that older stores open unchanged.
claim_vectors = Table(
    "claim_vectors", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("model", String(64), primary_key=True),
    Column("vector", LargeBinary, nullable=False),  # float32, little-endian
)

# What `discern watch` remembers of each feed between polls and across restarts (migration 0005): the validators
# for conditional requests, the keys of the entries already seen (the newest last, at most [watch] max_seen, each
# the first 16 hex digits of the sha256 of the entry's id/guid, else its link, else its title and text), and how
# the last poll went.
feed_state = Table(
    "feed_state", metadata,
    Column("feed", Text, primary_key=True),  # the URL as given, or a file's absolute path
    Column("etag", Text),  # a URL's ETag; for a file, its size and modification time
    Column("last_modified", Text),  # a URL's Last-Modified; for a file, its modification time (ISO)
    Column("seen", JSON, nullable=False),  # entry keys, oldest first
    Column("last_poll", String(32)),  # ISO time of the last poll, whatever its outcome
    Column("last_success", String(32)),  # ISO time of the last poll that fetched or found the feed unchanged
    Column("last_status", Text),  # "200", "304 not modified", "file unchanged", or the error ("E110 ...")
    Column("last_new", Integer),  # documents the last poll stored
    Column("failures", Integer, nullable=False, default=0),  # polls failed in a row
)

# Case-insensitive lookups of place names (migration 0004).
Index("ix_places_name_lower", func.lower(places.c.name))
Index("ix_places_text_lower", func.lower(places.c.text))
Index("ix_claim_places_name_lower", func.lower(claim_places.c.name))

LAYER_TABLES = {
    "entities": entities, "places": places, "quotes": quotes, "claims": claims, "events": events,
    "techniques": techniques,
}

# Dated control-of-terrain maps (migration 0006, docs/control-maps.md): a layer is one map source as imported
# (`discern maps import --name`), a snapshot row is one status's area on one date of it.
map_layers = Table(
    "map_layers", metadata,
    Column("name", String(200), primary_key=True),
    Column("kind", String(32), nullable=False),  # deepstate | occupied-daily | geojson
    Column("imported_at", String(32), nullable=False),  # ISO time of the last import into it
    Column("settings", JSON, nullable=False),  # the [maps] settings that read it (status words, date rule)
)

map_snapshots = Table(
    "map_snapshots", metadata,
    Column("layer", String(200), ForeignKey("map_layers.name", ondelete="CASCADE"), primary_key=True),
    Column("date", String(10), primary_key=True),  # YYYY-MM-DD, the map's date
    Column("status", String(16), primary_key=True),  # occupied | liberated | unknown
    Column("geometry", LargeBinary, nullable=False),  # WKB, lon/lat (WGS84), the union of the status's areas
    Column("minx", Float, nullable=False),  # its bounding box, so a point far away is answered without it
    Column("miny", Float, nullable=False),
    Column("maxx", Float, nullable=False),
    Column("maxy", Float, nullable=False),
    Column("path", Text),  # the file it was read from
)

# The map's verdict on each control assertion of a stored claim (migration 0007, docs/control-maps.md): one row per
# assertion (``ordinal``: its position in the claim's ``extra.assertions``), recomputed when maps are imported and
# when documents are ingested into a store that has maps. ``source`` is the institution the claimant speaks for
# (the sides table), so track records count "the ministry" and its spokesman together.
claim_verdicts = Table(
    "claim_verdicts", metadata,
    Column("doc_id", String(64), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("claim_idx", Integer, primary_key=True),
    Column("ordinal", Integer, primary_key=True),
    Column("layer", String(200), primary_key=True),  # the map layer that judged it ("" for no_map: none covers it)
    Column("is_primary", Boolean, nullable=False),  # the layer with the newest snapshot for the day
    Column("place", Text),  # the resolved place's name
    Column("geonames_id", Integer),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("holder", String(2), nullable=False),  # RU | UA, the side the claim says holds the place
    Column("as_of", String(10), nullable=False),  # the date the claim is about
    Column("partial", Boolean, nullable=False),  # "over 80% of X": judged by the place's point
    Column("snapshot_date", String(10)),  # the snapshot used for the day (null when none was fresh enough)
    Column("status", String(16)),  # the map's status at the point on that snapshot
    Column("verdict", String(16), nullable=False),  # consistent | later | not_confirmed | contested | no_map
    Column("agree_date", String(10)),  # the first snapshot that agreed (on the day or later)
    Column("lag_days", Integer),  # days from as_of to agree_date
    Column("source", Text),  # the institution the claimant speaks for
    Column("claimant", Text),  # the claimant as resolved
    Column("computed_at", String(32), nullable=False),
    Index("ix_claim_verdicts_verdict", "verdict"),
)
