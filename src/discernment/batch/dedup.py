"""Near-duplicate detection split in two: signatures in the workers, decisions in the driver, in input order.

A MinHash signature costs ~2.5 ms per article, too much for one driver feeding many workers, so workers compute
it next to the analysis. The decision (``duplicate_of``) depends on every earlier document, so the driver makes
it while committing partitions in input order, with the same rule as
:meth:`discernment.ingest.Deduplicator.check`; the result equals a single-process run's.
"""

from __future__ import annotations

from typing import Any

from ..config import Config
from ..ingest import Deduplicator

Signature = tuple[Any, str]  # (hash values, MinHash scheme)


def make_deduplicator(config: Config) -> Deduplicator | None:
    return Deduplicator.from_config(config)


def signature(dedup: Deduplicator, text: str) -> Signature:
    mh = dedup.minhash(text)
    return mh.hashvalues, mh.scheme


def check_signed(dedup: Deduplicator, doc_id: str, signed: Signature) -> str | None:
    """The id of an earlier exact or near copy, registering the document when it is new (as ``check`` does)."""
    from datasketch import MinHash

    hashvalues, scheme = signed
    return dedup.check_minhash(doc_id, MinHash(num_perm=len(hashvalues), hashvalues=hashvalues, scheme=scheme))
