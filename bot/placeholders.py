"""Generated product pictures: an SVG per product, coloured by category, with initials.

The demo shop has no photographs; a deterministic picture keeps the page and the chat
believable without shipping binary assets. Same input, same bytes, so results are cached.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from xml.sax.saxutils import escape

_WIDTH, _HEIGHT = 320, 240


def initials(name: str) -> str:
    """Up to two letters from the first words of the name ("Trail Runner 2" -> "TR")."""
    letters = [word[0] for word in name.split() if word[:1].isalnum()]
    return "".join(letters[:2]).upper() or "?"


def category_hue(category: str) -> int:
    """A stable hue (0-359) for a category, so one category always has one colour."""
    digest = hashlib.sha256(category.strip().lower().encode()).digest()
    return int.from_bytes(digest[:2], "big") % 360


@lru_cache(maxsize=1024)
def product_svg(name: str, category: str) -> str:
    """The SVG document for one product."""
    hue = category_hue(category)
    label = escape(initials(name))
    title = escape(f"{name} ({category})")
    caption = escape(category.upper()[:28])
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{_HEIGHT}" \
viewBox="0 0 {_WIDTH} {_HEIGHT}" role="img" aria-label="{title}">
<title>{title}</title>
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
<stop offset="0" stop-color="hsl({hue},70%,62%)"/>
<stop offset="1" stop-color="hsl({(hue + 35) % 360},65%,42%)"/>
</linearGradient></defs>
<rect width="{_WIDTH}" height="{_HEIGHT}" fill="url(#g)"/>
<circle cx="{_WIDTH - 40}" cy="40" r="70" fill="#fff" fill-opacity="0.12"/>
<text x="50%" y="52%" text-anchor="middle" dominant-baseline="middle" \
font-family="Helvetica, Arial, sans-serif" font-size="88" font-weight="700" \
fill="#fff" fill-opacity="0.95">{label}</text>
<text x="50%" y="{_HEIGHT - 22}" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" \
font-size="13" letter-spacing="3" fill="#fff" fill-opacity="0.85">{caption}</text>
</svg>
"""


def svg_etag(name: str, category: str) -> str:
    """An entity tag for the picture, so browsers revalidate cheaply."""
    return '"' + hashlib.sha256(product_svg(name, category).encode()).hexdigest()[:20] + '"'
