"""Register extracts and public sources: one module per source with schema, loader and metadata.

Use :func:`load_source` (one year) or :func:`load_sources` (a time series); both validate the
file against the source's schema. :data:`SOURCES` lists every source by name.
"""

from imdi_analysis.sources._base import SourceSpec, read_source, validate_frame
from imdi_analysis.sources.registry import SOURCES, get_spec, load_source, load_sources

__all__ = [
    "SOURCES",
    "SourceSpec",
    "get_spec",
    "load_source",
    "load_sources",
    "read_source",
    "validate_frame",
]
