"""The events contract (docs/events.md) as code: its rows, the project's actions, and a
checker that wraps every action while the suite runs — an action call that wrote an audit
entry (it changed something) but none of its row's event types fails the test that made
it. Installed for the whole session by the root conftest."""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

APPS = [
    "collection",
    "commitments",
    "disclosure",
    "inspections",
    "integrity",
    "lists",
    "registry",
    "repair",
    "risk",
    "sharing",
]
DOC = Path(settings.BASE_DIR) / "docs" / "events.md"
_ROW = re.compile(r"^\| `(?P<action>[\w.]+)` \| (?P<events>[^|]*) \| (?P<note>[^|]*) \|$")


@dataclass(frozen=True)
class Row:
    action: str
    events: frozenset[str]
    note: str

    @property
    def always(self) -> bool:
        """Every change the action makes reports one of its events."""
        return bool(self.events) and not self.note.startswith("only when")


def rows() -> dict[str, Row]:
    out = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = _ROW.match(line.strip())
        if m:
            events = frozenset(re.findall(r"`([\w.]+)`", m["events"]))
            out[m["action"]] = Row(m["action"], events, m["note"].strip())
    return out


def catalogue() -> set[str]:
    """The types in the doc's "Event types" table."""
    text = DOC.read_text(encoding="utf-8").split("## Event types", 1)[1].split("##", 1)[0]
    return set(re.findall(r"^\| `([\w.]+)` \|", text, flags=re.M))


def actions() -> dict[str, Callable[..., Any]]:
    """Every public action: a function defined in an app's actions module(s) and wrapped
    by `transaction.atomic` (one action per state change, architecture rule 1)."""
    found: dict[str, Callable[..., Any]] = {}
    for app in APPS:
        package = importlib.import_module(f"xinjian.{app}.actions")
        modules = [package]
        if hasattr(package, "__path__"):
            modules += [
                importlib.import_module(f"{package.__name__}.{m.name}")
                for m in pkgutil.iter_modules(package.__path__)
            ]
        for module in modules:
            for name, fn in vars(module).items():
                if (
                    not name.startswith("_")
                    and inspect.isfunction(fn)
                    and fn.__module__ == module.__name__
                    and hasattr(fn, "__wrapped__")
                ):
                    found.setdefault(f"{app}.{name}", fn)
    return found


def checked(name: str, fn: Callable[..., Any], events: frozenset[str]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        from xinjian.core.models import AuditEntry, Event

        last_event = Event.objects.order_by("-id").values_list("id", flat=True).first() or 0
        last_audit = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
        result = fn(*args, **kwargs)
        if AuditEntry.objects.filter(id__gt=last_audit).exists():
            emitted = set(Event.objects.filter(id__gt=last_event).values_list("type", flat=True))
            if not emitted & events:
                raise AssertionError(
                    f"{name} changed something (it wrote an audit entry) but emitted none of "
                    f"{sorted(events)} (docs/events.md); it emitted {sorted(emitted) or 'nothing'}"
                )
        return result

    call.__contract_checked__ = True  # type: ignore[attr-defined]
    return call


def install() -> int:
    """Wrap every always-reporting action wherever a module holds it (the actions package
    re-exports, sibling modules that imported it by name). Returns how many."""
    contract = rows()
    n = 0
    for name, fn in actions().items():
        row = contract.get(name)
        if row is None or not row.always or getattr(fn, "__contract_checked__", False):
            continue
        wrapper = checked(name, fn, row.events)
        for module in list(sys.modules.values()):
            if getattr(module, "__name__", "").startswith("xinjian."):
                for attr, value in list(vars(module).items()):
                    if value is fn:
                        setattr(module, attr, wrapper)
        n += 1
    return n
