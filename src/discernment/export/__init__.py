"""Exporters: documents to other formats (ACLED-style CSV, GeoJSON, ...)."""
