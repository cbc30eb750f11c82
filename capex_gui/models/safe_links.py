"""Which links the app opens: web pages only (http, https), never files or scripts."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Schemes a Ctrl+click hands to the desktop's browser.
OPENABLE_SCHEMES = frozenset({"http", "https"})


def is_openable_url(text: str) -> bool:
    """True for an http(s) URL with a host (not file:, javascript:, data: or a bare word)."""
    text = text.strip()
    if not text or any(c.isspace() or ord(c) < 32 for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in OPENABLE_SCHEMES and bool(parts.hostname)
