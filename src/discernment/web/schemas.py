"""Request and response shapes of the REST API (they are also what the HTML pages' JSON twins return)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from ..store.queries import DocumentSummary, EventRow, LedgerRow, PlaceSummary, SearchHit, SourceProfile, TimelineEntry

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of results; ``next_offset`` is null on the last page; ``total`` is the number of rows matching
    the filters over every page (null where a list does not count them)."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = None
    total: int | None = None


class DocumentsPage(Page[DocumentSummary]):
    pass


class ClaimsPage(Page[LedgerRow]):
    pass


class EventsPage(Page[EventRow]):
    pass


class SearchPage(Page[SearchHit]):
    query: str


class TimelinePage(Page[TimelineEntry]):
    place: str
    summary: PlaceSummary | None = None
    # the place's status on each imported control map, as runs of equal status (layer, status, first and last
    # snapshot date), oldest first (docs/control-maps.md); empty without maps or without a located place
    map: list[dict] = []


class PlacesPage(Page[PlaceSummary]):
    pass


class SourcesPage(Page[SourceProfile]):
    # track records of the claimants (the institution each speaks for) against the control maps: who, checked,
    # consistent, within_7, within_30, never, contested, median_lag (docs/control-maps.md)
    claimants: list[dict] = []


class AnalyzeRequest(BaseModel):
    """Exactly one of ``text`` (the article) or ``fetch`` (a public http(s) URL whose page is read)."""

    text: str | None = Field(None, description="The article text.")
    fetch: str | None = Field(None, max_length=2000, description="A public http(s) URL to fetch and read as HTML.")
    title: str | None = Field(None, max_length=1000)
    outlet: str | None = Field(None, max_length=200)
    url: str | None = Field(None, max_length=2000, description="The article's URL (metadata only; not fetched).")
    published: str | None = Field(None, max_length=40, description="Publication date, YYYY-MM-DD preferred.")
    author: str | None = Field(None, max_length=500)


class AnalyzedBatch(BaseModel):
    """The documents (contract JSON) read from an uploaded file, and the read errors of the others."""

    documents: list[dict[str, Any]]
    errors: list[dict[str, Any]]


class Deleted(BaseModel):
    doc_id: str
    deleted: bool


class Health(BaseModel):
    status: str
    version: str
    documents: int
    analyzer_loaded: bool
    writes: str  # "open" (loopback, no token) | "token" | "disabled"


def page_of(model: type, items: list, limit: int, offset: int, total: int | None = None, **extra: Any):
    """A page of ``items``; with ``total`` (rows matching over every page), ``next_offset`` is null exactly when
    no row follows."""
    if total is not None:
        next_offset = offset + limit if offset + limit < total else None
    else:
        next_offset = offset + limit if len(items) >= limit else None
    return model(items=items, limit=limit, offset=offset, next_offset=next_offset, total=total, **extra)
