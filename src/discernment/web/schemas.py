"""Request and response shapes of the REST API (they are also what the HTML pages' JSON twins return)."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from ..store.queries import LedgerRow, SearchHit, SourceProfile, TimelineEntry
from .queries import DocumentSummary, PlaceSummary

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of results; ``next_offset`` is null on the last page."""

    items: list[T]
    limit: int
    offset: int
    next_offset: int | None = None


class DocumentsPage(Page[DocumentSummary]):
    pass


class ClaimsPage(Page[LedgerRow]):
    pass


class SearchPage(Page[SearchHit]):
    query: str


class TimelinePage(Page[TimelineEntry]):
    place: str
    summary: PlaceSummary | None = None


class PlacesPage(Page[PlaceSummary]):
    pass


class SourcesPage(Page[SourceProfile]):
    pass


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


def page_of(model: type, items: list, limit: int, offset: int, **extra: Any):
    return model(items=items, limit=limit, offset=offset,
                  next_offset=offset + limit if len(items) >= limit else None, **extra)
