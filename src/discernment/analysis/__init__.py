"""Cross-document analysis over the store: what independent sources assert, compared (findings, fact clusters)."""
