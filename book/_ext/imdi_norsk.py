"""Sphinx extension of the book: the theme's own strings in Norwegian bokmål, offline.

Sphinx has no message catalog for ``nb`` (only ``nb_NO``), the PyData theme none for Norwegian
and the Book theme only ``no``, so with ``language: nb`` the page chrome stays English
("Contents", "Skip to main content", "Back to top", "By …", "Print to PDF"). The book ships its
own catalogs in ``_locales/nb/LC_MESSAGES``:

- ``sphinx.po`` (Sphinx and the PyData theme, which adds its strings to the ``sphinx`` domain) is
  found through the ``locale_dirs`` setting, which Sphinx compiles itself;
- ``booktheme.po`` (the Book theme's ``booktheme`` domain) is compiled and registered here.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES = "_locales"
LANGUAGE = "nb"
BOOK_THEME_CATALOG = "booktheme"


def compile_catalog(po_path: Path) -> None:
    """Write the ``.mo`` file beside ``po_path`` when it is missing or older."""
    mo_path = po_path.with_suffix(".mo")
    if mo_path.is_file() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=LANGUAGE)
    with mo_path.open("wb") as handle:
        write_mo(handle, catalog)


def setup(app):
    locales = Path(app.srcdir) / LOCALES
    po_path = locales / LANGUAGE / "LC_MESSAGES" / f"{BOOK_THEME_CATALOG}.po"
    if po_path.is_file():
        compile_catalog(po_path)
        app.add_message_catalog(BOOK_THEME_CATALOG, str(locales))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
