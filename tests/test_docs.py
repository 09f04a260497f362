"""The documentation in the repository says what the code does (as datasette's docs tests
do): every `manage.py` command it documents exists, every setting the code reads from the
environment is documented and every documented one is read, and every `domain.md §N` a
comment cites is a section of docs/domain.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DOCS = [
    ROOT / "README.md",
    *sorted((ROOT / "docs").glob("*.md")),
    *sorted((ROOT / "docs" / "howto").glob("*.md")),
]
COMMAND = re.compile(r"manage\.py\s+([a-z_]+)")
V11 = "## v1.1 additions"
# Commands the exchange standard's v1.1 additions name that this round has not built yet.
# When one is built, this test fails until it is taken off the list.
PENDING_V11: set[str] = set()


def _documented_commands() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        if path.name == "interfaces.md":
            text, _, _ = text.partition(V11)
        for name in COMMAND.findall(text):
            found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def test_docs_name_the_commands_that_exist():
    commands = get_commands()
    missing = {name: where for name, where in _documented_commands().items() if name not in commands}
    assert not missing, f"documented but not a manage.py command: {missing}"


def test_the_pending_v11_commands_are_exactly_the_ones_not_built_yet():
    text = (ROOT / "docs" / "interfaces.md").read_text(encoding="utf-8").partition(V11)[2]
    named = set(COMMAND.findall(text))
    built = named & set(get_commands())
    assert named >= PENDING_V11, "PENDING_V11 names a command the standard does not"
    assert named - built == PENDING_V11, (
        f"built now, take off PENDING_V11: {sorted(PENDING_V11 & built)}; "
        f"missing and not pending: {sorted(named - built - PENDING_V11)}"
    )


def _settings_read() -> set[str]:
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r'(?:environ\.get|envint|envbool)\(\s*"([A-Z][A-Z0-9_]+)"', source))


def _settings_documented() -> set[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.partition("## Configuration (environment)")[2].partition("\n## ")[0]
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \|", table, re.M))


def test_every_setting_read_from_the_environment_is_documented_and_the_reverse():
    read, documented = _settings_read(), _settings_documented()
    assert read, "no settings found: the pattern no longer matches config/settings.py"
    assert read - documented == set(), "read by config/settings.py but not in README's configuration table"
    assert documented - read == set(), "in README's configuration table but not read by config/settings.py"


def _domain_sections() -> set[str]:
    text = (ROOT / "docs" / "domain.md").read_text(encoding="utf-8")
    return set(re.findall(r"^## (\d+)\.", text, re.M))


@pytest.mark.parametrize("folder", ["xinjian", "config", "bench", "tests"])
def test_every_cited_domain_section_exists(folder):
    sections = _domain_sections()
    bad = []
    for path in sorted((ROOT / folder).rglob("*.py")):
        for n in re.findall(r"domain\.md\s*§\s*(\d+)", path.read_text(encoding="utf-8")):
            if n not in sections:
                bad.append(f"{path.relative_to(ROOT)}: §{n}")
    assert not bad, bad
