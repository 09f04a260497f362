"""Typed fields of ingest records (interfaces.md "Record fields").

Each field turns one value as sent — JSON from the API, or text from a CSV/XLSX cell — into
the value stored, or raises `FieldError` with a stable code and a Chinese message. The same
fields serve every channel, so an uploaded spreadsheet and an API call are judged alike.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext

from xinjian.core.workdays import today
from xinjian.registry.identifiers import IdentifierError, normalize_division, normalize_uscc


class FieldError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# A row of a file that could not be read as a record (a CSV field past the size limit, a
# JSON line nested too deep): it travels to validation as this marker and is rejected with
# its reason, so that no row of a file is lost without a word (issue 13 item 5).
UNREADABLE = "_unreadable"


def unreadable(code: str, line: int, excerpt: str = "") -> dict[str, Any]:
    return {UNREADABLE: code, "line": line, "excerpt": safe(excerpt[:200])}


def unreadable_error(raw: dict[str, Any]) -> dict[str, str]:
    """The reject reason of an unreadable row; the message is ours whatever the row says."""
    code = raw.get(UNREADABLE)
    messages = {
        "field_too_large": gettext("第%(line)s行有单元格超过131072个字符，该行无法读取"),
        "too_deep": gettext("第%(line)s行的JSON嵌套过深，无法读取"),
        "bad_encoding": gettext("第%(line)s行含有无法解码的字节（文件编码应为UTF-8或GBK），该行无法读取"),
        "invalid_text": gettext("第%(line)s行含有不可见的空字符，该行无法读取"),
    }
    message = messages.get(str(code), gettext("第%(line)s行无法读取")) % {"line": raw.get("line", "?")}
    return {
        "field": "",
        "code": "unreadable_row" if str(code) not in messages else str(code),
        "message": message,
    }


_MISSING = object()
# Cells of list fields in files: "fine;confiscation", "罚款、没收", …
_LIST_SPLIT = re.compile(r"[,;，；、|\s]+")
_TRUE = {"true", "1", "yes", "y", "是", "t"}
_FALSE = {"false", "0", "no", "n", "否", "f"}


class Field:
    """One record field. `label` is the Chinese column header of files and templates;
    `aliases` are further headers accepted on upload."""

    default: Any = ""

    def __init__(
        self,
        label: str,
        *,
        required: bool = False,
        default: Any = _MISSING,
        aliases: Sequence[str] = (),
        keep_when_omitted: bool = False,
        help: str = "",
    ):
        self.label = label
        self.required = required
        if default is not _MISSING:
            self.default = default
        self.aliases = tuple(aliases)
        # Platform-managed values (published_on) are not wiped by a resend that omits them.
        self.keep_when_omitted = keep_when_omitted
        self.help = help
        self.name = ""

    def empty(self, value: Any) -> bool:
        return value is None or (isinstance(value, str) and not value.strip())

    def default_value(self) -> Any:
        return self.default

    def clean(self, value: Any) -> Any:
        raise NotImplementedError

    def example(self) -> str:
        return self.help


class Text(Field):
    def __init__(self, label: str, max_length: int | None = None, **kw: Any):
        super().__init__(label, **kw)
        self.max_length = max_length

    def clean(self, value: Any) -> str:
        if value.__class__ is str:
            text = value.strip()
        elif isinstance(value, int) and not isinstance(value, bool):
            text = str(value)
        else:
            raise FieldError("invalid_type", gettext("%(label)s应为文本") % {"label": self.label})
        if "\x00" in text:
            check_text(text, self.label)
        elif not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                check_text(text, self.label)
        if self.max_length and len(text) > self.max_length:
            raise FieldError(
                "too_long",
                gettext("%(label)s不能超过%(max_length)s个字符")
                % {"label": self.label, "max_length": self.max_length},
            )
        return text


def check_text(text: str, label: str) -> None:
    """Text a database can hold: no NUL characters, no lone surrogates (JSON allows both)."""
    if "\x00" in text:
        raise FieldError("invalid_text", gettext("%(label)s含有不可见的空字符") % {"label": label})
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            raise FieldError("invalid_text", gettext("%(label)s含有无效的Unicode字符") % {"label": label})


def safe(value: Any) -> Any:
    """A value as sent, made storable (NULs dropped, lone surrogates replaced) so that a
    rejected record is always kept."""
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "")
        if not value.isascii():
            value = value.encode("utf-8", "replace").decode("utf-8")
        return value
    if isinstance(value, dict):
        return {safe(str(k)): safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [safe(v) for v in value]
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


class Date(Field):
    """`YYYY-MM-DD`. `past=True`: the fact has happened, so not after today (Asia/Shanghai)."""

    default = None

    def __init__(self, label: str, *, past: bool = False, **kw: Any):
        super().__init__(label, **kw)
        self.past = past

    def clean(self, value: Any) -> dt.date:
        if value.__class__ is str and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                day = dt.date.fromisoformat(value)
            except ValueError:
                raise FieldError(
                    "invalid_date", gettext("%(label)s应为YYYY-MM-DD格式的有效日期") % {"label": self.label}
                )
        elif isinstance(value, dt.datetime):  # XLSX date cells
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            day = _parse_date(value.strip())
        else:
            raise FieldError(
                "invalid_date", gettext("%(label)s应为YYYY-MM-DD格式的日期") % {"label": self.label}
            )
        if self.past and day > _today():
            raise FieldError("future_date", gettext("%(label)s不能晚于今天") % {"label": self.label})
        return day


def _parse_date(text: str) -> dt.date:
    try:
        if len(text) == 10 and text[4] == "-":
            return dt.date.fromisoformat(text)
        # Spreadsheets often say 2024/3/5 or 2024-3-5 or 2024年3月5日.
        m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]00:00(?::00)?)?", text)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    raise FieldError("invalid_date", gettext("应为YYYY-MM-DD格式的有效日期"))


# The ingest sets "today" once per chunk (engine.Ingestion.validate); elsewhere it is read
# from the clock each time.
TODAY: contextvars.ContextVar[dt.date | None] = contextvars.ContextVar("ingest_today", default=None)


def _today() -> dt.date:
    day = TODAY.get()
    if day is not None:
        return day

    return today()


class Choice(Field):
    def __init__(self, label: str, choices: Sequence[tuple[str, Any]], **kw: Any):
        super().__init__(label, **kw)
        self.values = {str(v) for v, _ in choices}
        # Files may carry the Chinese label instead of the code.
        self.by_label = {str(lbl): str(v) for v, lbl in choices}
        self.choices_text = "、".join(str(v) for v, _ in choices)

    def clean(self, value: Any) -> str:
        if value.__class__ is str and value in self.values:
            return value
        if not isinstance(value, str):
            raise FieldError("invalid_type", gettext("%(label)s应为文本") % {"label": self.label})
        v = value.strip()
        if v in self.values:
            return v
        if v in self.by_label:
            return self.by_label[v]
        raise FieldError(
            "invalid_choice",
            gettext("%(label)s“%(value)s”无效，应为：%(choices_text)s")
            % {"label": self.label, "value": v[:40], "choices_text": self.choices_text},
        )

    def example(self) -> str:
        return self.help or self.choices_text


class ChoiceList(Choice):
    def default_value(self) -> Any:
        return []

    def __init__(self, label: str, choices: Sequence[tuple[str, Any]], **kw: Any):
        super().__init__(label, choices, **kw)

    def empty(self, value: Any) -> bool:
        return super().empty(value) or value == []

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        if isinstance(value, str):
            items = [p for p in _LIST_SPLIT.split(value.strip()) if p]
        elif isinstance(value, list):
            items = value
        else:
            raise FieldError("invalid_type", gettext("%(label)s应为列表") % {"label": self.label})
        out: list[str] = []
        for item in items:
            v = Choice.clean(self, item)
            if v not in out:
                out.append(v)
        return out


class TextList(Field):
    def default_value(self) -> Any:
        return []

    def empty(self, value: Any) -> bool:
        return super().empty(value) or value == []

    def clean(self, value: Any) -> list[str]:
        if isinstance(value, str):
            check_text(value, self.label)
            return [p.strip() for p in re.split(r"[;；\n]", value) if p.strip()]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            for v in value:
                check_text(v, self.label)
            return [v.strip() for v in value if v.strip()]
        raise FieldError("invalid_type", gettext("%(label)s应为文本列表") % {"label": self.label})


class Amount(Field):
    """Yuan (or 10k yuan), never negative."""

    default = None

    def __init__(self, label: str, *, max_digits: int = 16, places: int = 2, **kw: Any):
        super().__init__(label, **kw)
        self.limit = decimal.Decimal(10) ** (max_digits - places)
        self.quantum = decimal.Decimal(1).scaleb(-places)

    def clean(self, value: Any) -> decimal.Decimal:
        if isinstance(value, bool):
            raise FieldError("invalid_amount", gettext("%(label)s应为数字") % {"label": self.label})
        try:
            amount = (
                decimal.Decimal(str(value).strip().replace(",", ""))
                if not isinstance(value, dict | list)
                else None
            )
        except decimal.InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite():
            raise FieldError("invalid_amount", gettext("%(label)s应为数字") % {"label": self.label})
        if amount < 0:
            raise FieldError("negative_amount", gettext("%(label)s不能为负数") % {"label": self.label})
        if amount >= self.limit:
            raise FieldError("invalid_amount", gettext("%(label)s数值过大") % {"label": self.label})
        return amount.quantize(self.quantum)


class Bool(Field):
    def __init__(self, label: str, *, default: Any = False, **kw: Any):
        super().__init__(label, default=default, **kw)

    def clean(self, value: Any) -> bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str | int):
            v = str(value).strip().lower()
            if v in _TRUE:
                return True
            if v in _FALSE:
                return False
        raise FieldError("invalid_bool", gettext("%(label)s应为true或false（是/否）") % {"label": self.label})


class Year(Field):
    default = None

    def clean(self, value: Any) -> int:
        if isinstance(value, bool):
            raise FieldError("invalid_year", gettext("%(label)s应为四位年份") % {"label": self.label})
        try:
            year = int(str(value).strip()) if isinstance(value, int | str | float) else None
        except ValueError:
            year = None
        if year is None or not 1949 <= year <= _today().year:
            raise FieldError(
                "invalid_year", gettext("%(label)s应为1949年至今的四位年份") % {"label": self.label}
            )
        return year


class Uscc(Field):
    """The enterprise's USCC; for older records an old 15-digit registration number is
    accepted in its place (domain.md §2: an alias for matching) when `allow_registration_no`."""

    def __init__(self, label: str = "统一社会信用代码", *, allow_registration_no: bool = True, **kw: Any):
        super().__init__(label, **kw)
        self.allow_registration_no = allow_registration_no

    def clean(self, value: Any) -> str:
        if not isinstance(value, str):
            raise FieldError("invalid_type", gettext("%(label)s应为文本") % {"label": self.label})
        return _clean_uscc(value, self.allow_registration_no)


@lru_cache(maxsize=65_536)
def _clean_uscc(value: str, allow_registration_no: bool) -> str:
    text = value.strip()
    if allow_registration_no and len(text) == 15 and text.isdigit():
        return text
    try:
        return normalize_uscc(text)
    except IdentifierError as e:
        raise FieldError(e.code if e.code != "required" else "invalid_uscc", e.message)


class Division(Field):
    def clean(self, value: Any) -> str:
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise FieldError("invalid_type", gettext("%(label)s应为文本") % {"label": self.label})
        try:
            return normalize_division(str(value))
        except IdentifierError as e:
            raise FieldError(e.code, e.message)


class RegistrationNo(Field):
    default = None

    def clean(self, value: Any) -> str:
        text = str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
        if not re.fullmatch(r"\d{15}", text):
            raise FieldError(
                "invalid_registration_no", gettext("%(label)s应为15位数字") % {"label": self.label}
            )
        return text


Check = Callable[[dict[str, Any]], list[tuple[str, str, str]]]
