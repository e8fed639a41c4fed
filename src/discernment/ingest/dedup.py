"""Exact duplicates by content id, near-duplicates by MinHash (datasketch) over word shingles."""

from __future__ import annotations

import re

from ..model import Document

_WORD = re.compile(r"\w+", re.UNICODE)


class Deduplicator:
    """Remembers the documents seen so far; ``check`` returns the id of an earlier copy, or None."""

    def __init__(self, threshold: float = 0.85, num_perm: int = 128, shingle_words: int = 5):
        from datasketch import MinHashLSH

        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.seen: set[str] = set()

    def _minhash(self, text: str):
        from datasketch import MinHash

        words = _WORD.findall(text.lower())
        k = self.shingle_words
        shingles = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
        mh = MinHash(num_perm=self.num_perm)
        mh.update_batch([s.encode("utf-8", "surrogatepass") for s in shingles])
        return mh

    def check(self, doc: Document) -> str | None:
        """The id of an earlier exact or near copy of ``doc``, registering ``doc`` when it is new."""
        if doc.id in self.seen:
            return doc.id
        mh = self._minhash(doc.text)
        matches = self.lsh.query(mh)
        self.seen.add(doc.id)
        if matches:
            return sorted(matches)[0]
        self.lsh.insert(doc.id, mh)
        return None
