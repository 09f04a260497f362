"""Walk every page a persona can reach by following links (issue 14) and report visible
text that shows a code instead of words: snake_case tokens and raw enum values."""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlparse

# Pages not to follow: actions, downloads, other languages' switch, the API's own UI.
SKIP = re.compile(
    r"^/(?:accounts/logout|i18n/|api/|static/|favicon)"
    r"|\.(?:xlsx|csv|pdf|json|jsonl|zip|txt|sha256)$"
    r"|/open-data/\d{4}-\d{2}-\d{2}/"
    r"|^/admin/"
)
SNAKE = re.compile(r"(?<![\w./:@-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./@-])")


class _Text(HTMLParser):
    """Visible text and links of a page (no script, style, template, hidden inputs)."""

    HIDDEN = {"script", "style", "template", "noscript", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.depth += 1
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag in ("input", "textarea") and a.get("type") not in ("hidden",) and a.get("placeholder"):
            self.parts.append(a.get("placeholder") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.parts.append(data)


def parse(html: str) -> tuple[str, list[str]]:
    p = _Text()
    p.feed(html)
    return " ".join(" ".join(p.parts).split()), p.links


def _pattern(path: str) -> str:
    return re.sub(r"\d+", "N", re.sub(r"[0-9A-Z]{18}", "USCC", path))


def crawl(client, start: list[str], *, max_pages: int = 400, per_pattern: int = 2):
    """Yield (path, status, visible text) for every page reachable from `start`, each
    URL shape (digits and USCCs folded) visited at most `per_pattern` times."""
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue = deque(start)
    pages = 0
    while queue and pages < max_pages:
        url = urldefrag(queue.popleft())[0]
        parts = urlparse(url)
        if parts.netloc and parts.netloc not in ("testserver", "127.0.0.1", "localhost"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not parts.path.startswith("/") or path in seen or SKIP.search(parts.path):
            continue
        seen.add(path)
        shape = _pattern(parts.path) + ("?" if parts.query else "")
        if shapes.get(shape, 0) >= per_pattern:
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        r = client.get(path)
        pages += 1
        if r.status_code in (301, 302):
            queue.append(r["Location"])
            continue
        ctype = r.get("Content-Type", "")
        if "text/html" not in ctype:
            continue
        text, links = parse(r.content.decode())
        yield path, r.status_code, text
        for link in links:
            if link.startswith(("mailto:", "javascript:", "tel:")):
                continue
            if not link.startswith(("/", "http")):
                link = (
                    parts.path.rsplit("/", 1)[0] + "/" + link
                    if not link.startswith("?")
                    else parts.path + link
                )
            queue.append(link)


def enum_values() -> set[str]:
    """Every lowercase choice value of the models (e.g. "draft", "submitted"): shown as
    such, a page shows a code instead of its label."""
    from django.apps import apps

    values: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("xinjian."):
            continue
        for f in model._meta.get_fields():
            for value, _label in getattr(f, "choices", None) or []:
                if isinstance(value, str) and re.fullmatch(r"[a-z][a-z_]{3,}", value):
                    values.add(value)
    return values


def offending(text: str, enums: set[str]) -> list[str]:
    found = set(SNAKE.findall(text))
    for word in re.findall(r"(?<![\w./:@-])[a-z]{4,}(?![\w./@-])", text):
        if word in enums:
            found.add(word)
    return sorted(found)
