"""Dated control-of-terrain maps (who held what, day by day, by one map's account): readers and a store with a
point query. See docs/control-maps.md."""

from .readers import KINDS, STATUSES, ControlSnapshot, MapSettings, detect_kind, read_file, read_paths
from .store import NO_MAP, OUTSIDE, ImportStats, MapStatus, MapStore

__all__ = ["KINDS", "STATUSES", "ControlSnapshot", "MapSettings", "detect_kind", "read_file", "read_paths",
           "NO_MAP", "OUTSIDE", "ImportStats", "MapStatus", "MapStore"]
