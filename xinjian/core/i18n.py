"""The one question code asks about the UI language: is it Chinese? (The platform speaks
Simplified Chinese first, English otherwise; settings.LANGUAGES.)"""

from __future__ import annotations

from django.utils import translation


def chinese_ui() -> bool:
    return (translation.get_language() or "zh-hans").startswith("zh")
