"""Cross-document analysis over the store: claim clusters, agreement and contradiction."""
