"""Exact duplicates by content id, near-duplicates by MinHash (datasketch) over word shingles."""

from __future__ import annotations

import re

import numpy as np

from ..model import Document

_WORD = re.compile(r"\w+", re.UNICODE)


class Deduplicator:
    """Remembers the documents seen so far; ``check`` returns the id of an earlier copy, or None.

    Memory per remembered document (``bench/dedup_memory.py``): its id in ``seen``, its signature as a packed
    uint32 array (``num_perm`` x 4 bytes; the MinHash object with its own permutation table is not kept) and
    the LSH band tables: 3.7 KB at the default 128 permutations (5.2 KB when whole MinHash objects were kept).
    """

    def __init__(self, threshold: float = 0.85, num_perm: int = 128, shingle_words: int = 5):
        from datasketch import MinHash, MinHashLSH

        self.num_perm = num_perm
        self.shingle_words = shingle_words
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.threshold = threshold
        self.seen: set[str] = set()
        self.signatures: dict[str, np.ndarray] = {}
        template = MinHash(num_perm=num_perm)
        self._permutations, self._scheme = template.permutations, template.scheme  # shared by every signature

    @classmethod
    def from_config(cls, config) -> "Deduplicator | None":
        """The deduplicator the ``[dedup]`` settings describe, or None when it is disabled."""
        if not config["dedup.enabled"]:
            return None
        return cls(config["dedup.threshold"], config["dedup.num_perm"], config["dedup.shingle_words"])

    def minhash(self, text: str):
        """The MinHash signature of a text's word shingles."""
        from datasketch import MinHash

        words = _WORD.findall(text.lower())
        k = self.shingle_words
        shingles = {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}
        mh = MinHash(num_perm=self.num_perm, permutations=self._permutations, scheme=self._scheme)
        mh.update_batch([s.encode("utf-8", "surrogatepass") for s in shingles])
        return mh

    def check(self, doc: Document) -> str | None:
        """The id of an earlier exact or near copy of ``doc``, registering ``doc`` when it is new."""
        return self.check_text(doc.id, doc.text)

    def check_text(self, doc_id: str, text: str) -> str | None:
        """``check`` for a document given by its id and text."""
        if doc_id in self.seen:
            return doc_id
        return self.check_minhash(doc_id, self.minhash(text))

    def check_minhash(self, doc_id: str, mh) -> str | None:
        """``check`` for a document whose signature was computed elsewhere (e.g. in a batch worker)."""
        if doc_id in self.seen:
            return doc_id
        self.seen.add(doc_id)
        # LSH candidates are approximate: keep those whose estimated Jaccard really reaches the threshold.
        # (The estimate is MinHash.jaccard's: the share of equal hash values.)
        values = np.asarray(mh.hashvalues, dtype=np.uint32)
        scored = [(float(np.count_nonzero(self.signatures[key] == values)) / len(values), key)
                  for key in self.lsh.query(mh)]
        scored = [(j, key) for j, key in scored if j >= self.threshold]
        if scored:
            return max(scored)[1]
        self.lsh.insert(doc_id, mh)
        self.signatures[doc_id] = values
        return None
