"""Where the site may send a browser back to after a form (`next`): only its own pages.

A browser reading a Location header drops tabs and line breaks, ignores leading control
characters and spaces, reads "\\" as "/" and decodes %-escapes, so "/\\t/evil.example"
or "/%5Cevil.example" would leave the site. The target is normalised the same way first,
then it must be a path: one "/" and not a second "/" or "\\" after it.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

from portal.services.validation import INVISIBLE_CATEGORIES


def _visible(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c) not in INVISIBLE_CATEGORIES)


def _is_local_path(target: str) -> bool:
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and not parts.scheme
        and not parts.netloc
    )


def local_target(target: str | None, fallback: str) -> str:
    """`target` without its invisible characters if it is a path on this site (however a
    browser would read it), else `fallback`."""
    cleaned = _visible(target or "")
    decoded = cleaned
    for _ in range(3):  # %252F... decodes in layers; three is more than any browser does
        decoded = _visible(unquote(decoded))
    as_browser_reads = decoded.replace("\\", "/")
    if _is_local_path(cleaned) and _is_local_path(as_browser_reads):
        return cleaned
    return fallback
