"""A chunk judged column by column (ADR 0067, issue 16 item 3).

The plain record kinds (the set-based writers' kinds) are not validated record by record:
each field's column of the chunk is judged at once — texts stripped and measured over the
whole column, codes, dates, USCCs and lists judged once per distinct value through the
field's own `clean` (cached), amounts by one pattern — and the kind's consistency rules
run over the columns (`Kind.check_columns`). Any record with any doubt about any field
goes to `Kind.validate`, the reference, record by record; so every error, and every value
stored, is exactly the reference's (tests compare both over hundreds of mutated records).

A valid record's values are kept in their *stored form*, the form the writers bind:
text as `str`, dates as ISO `str`, amounts as `str` quantised like the reference's
`Decimal`, lists of codes as tuples, booleans as `bool`, absent values as `None`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from collections.abc import Callable
from itertools import repeat
from typing import Any

from .fields import UNREADABLE, Amount, Field, Text

_BAD = object()  # the value needs the reference
_EMPTY = object()  # nothing sent: the default applies (or the field is required)
_NOTHING: dict[str, Any] = {}


class Columns:
    """The valid records of a chunk, column by column, in stored form."""

    __slots__ = ("index", "raws", "values", "region", "make", "lines")

    def __init__(
        self,
        index: list[int],
        raws: list[Any],
        values: dict[str, list[Any]],
        make: Callable[[Any], Any] | None = None,
    ):
        self.index = index  # each record's position in the batch
        self.raws = raws  # each record as sent (or the file's row it is `make`s from)
        self.values = values  # field name → stored values
        self.region: list[str] = []  # the matched enterprise's division ('' when pending)
        self.make = make
        # PostgreSQL: each record's COPY line but for the enterprise-dependent columns,
        # encoded beside the validation (pgfast.encode_lines).
        self.lines: list[str] | None = None

    def raw(self, p: int) -> Any:
        """The record at position p as sent."""
        return self.make(self.raws[p]) if self.make is not None else self.raws[p]

    def __len__(self) -> int:
        return len(self.index)

    def keep(self, positions: list[int]) -> None:
        """Only the records at these positions stay (in this order)."""
        if len(positions) == len(self.index):
            return
        self.index = [self.index[p] for p in positions]
        self.raws = [self.raws[p] for p in positions]
        self.values = {n: [col[p] for p in positions] for n, col in self.values.items()}
        if self.region:
            self.region = [self.region[p] for p in positions]
        if self.lines is not None:
            self.lines = [self.lines[p] for p in positions]


def stored(value: Any) -> Any:
    """The stored form of a value as the reference validator returns it."""
    cls = value.__class__
    if cls is str or value is None:
        return value
    if isinstance(value, dt.date):  # (freezegun's dates are a subclass)
        return value.isoformat()
    if cls is decimal.Decimal:
        return str(value)
    if cls is list:
        return tuple(value)
    if isinstance(value, str):  # a TextChoices member
        return str(value)
    return value


class ColumnJudge:
    """Column-wise judgement of one kind's fields, made once per batch; caches of the
    distinct values (dates, codes, USCCs, lists) live as long as the batch."""

    def __init__(self, kind: Any):
        self.kind = kind
        self.fields: list[tuple[str, Field, Callable[[list[Any]], tuple[list[Any], list[int]]]]] = []
        for name, f in kind.fields.items():
            if isinstance(f, Text):
                judge = self._text(f)
            elif isinstance(f, Amount):
                judge = self._amount(f)
            else:
                judge = self._distinct(f)
            self.fields.append((name, f, judge))

    def judge(self, raws: list[Any]) -> tuple[dict[str, list[Any]], list[int]]:
        """Stored values per field for every record, and the positions of the records
        the reference must judge (their values in the columns are meaningless)."""
        suspects: set[int] = set()
        recs = raws
        if any(r.__class__ is not dict or UNREADABLE in r for r in raws):
            shape = [p for p, r in enumerate(raws) if r.__class__ is not dict or UNREADABLE in r]
            suspects.update(shape)
            recs = list(raws)
            for p in shape:
                recs[p] = _NOTHING
        return self.judge_columns(lambda name: list(map(dict.get, recs, repeat(name))), suspects)

    def judge_columns(
        self, column: Callable[[str], Any], suspects: set[int]
    ) -> tuple[dict[str, list[Any]], list[int]]:
        """`judge` for records given column by column: `column(name)` is the field's
        values as sent (None or '' when absent)."""
        values: dict[str, list[Any]] = {}
        for name, _f, judge in self.fields:
            col = column(name)
            out, bad = judge(col)
            if bad:
                suspects.update(bad)
                for p in bad:
                    out[p] = None
            values[name] = out
        more = self.kind.check_columns(values, suspects)
        suspects.update(more)
        return values, sorted(suspects)

    # --- texts: many distinct values, judged over the whole column ----------------------
    def _text(self, f: Text) -> Callable[[list[Any]], tuple[list[Any], list[int]]]:
        limit = f.max_length or 0
        required = f.required
        default = stored(f.default_value())

        def judge(col: list[Any]) -> tuple[list[Any], list[int]]:
            bad: list[int] = []
            types = set(map(type, col))
            if types == {str}:
                out = list(map(str.strip, col))
            else:
                out = []
                for p, v in enumerate(col):
                    if v.__class__ is str:
                        out.append(v.strip())
                    elif v is None:
                        out.append("")
                    else:  # a number, a list, …: the reference says what it is
                        out.append("")
                        bad.append(p)
            if "" in out:
                for p, v in enumerate(out):
                    if v == "" and (col[p] is None or col[p].__class__ is str):
                        if required:
                            bad.append(p)
                        else:
                            out[p] = default
            joined = "".join(out)  # every item is text (the default of a text is too)
            if "\x00" in joined:
                bad += [p for p, v in enumerate(out) if v.__class__ is str and "\x00" in v]
            if not joined.isascii():
                try:
                    joined.encode("utf-8")
                except UnicodeEncodeError:  # a lone surrogate (JSON allows one)
                    bad += [p for p, v in enumerate(out) if v.__class__ is str and not _encodes(v)]
            if limit and out and max(map(len, out)) > limit:
                bad += [p for p, v in enumerate(out) if len(v) > limit]
            return out, bad

        return judge

    # --- amounts: many distinct values, one pattern ---------------------------------------
    def _amount(self, f: Amount) -> Callable[[list[Any]], tuple[list[Any], list[int]]]:
        places = -int(f.quantum.as_tuple().exponent)
        digits = len(str(int(f.limit))) - 1  # integer digits below the limit
        pattern = re.compile(
            rf"(0|[1-9]\d{{0,{digits - 1}}})" + (rf"(?:\.(\d{{1,{places}}}))?" if places else "")
        ).fullmatch
        limit = int(f.limit)
        required = f.required
        default = stored(f.default_value())

        def judge(col: list[Any]) -> tuple[list[Any], list[int]]:
            out: list[Any] = []
            bad: list[int] = []
            append = out.append
            for p, v in enumerate(col):
                if v is None or v == "":
                    if required:
                        bad.append(p)
                    append(default)
                    continue
                if v.__class__ is str:
                    m = pattern(v)
                    if m is not None:
                        whole, frac = m.groups() if places else (m.group(1), None)
                        append(f"{whole}.{(frac or '').ljust(places, '0')}" if places else whole)
                        continue
                elif v.__class__ is int and 0 <= v < limit:
                    append(f"{v}.{'0' * places}" if places else str(v))
                    continue
                append(None)
                bad.append(p)
            return out, bad

        return judge

    # --- everything else: few distinct values, each judged once by the field -----------
    def _distinct(self, f: Field) -> Callable[[list[Any]], tuple[list[Any], list[int]]]:
        required = f.required
        default = stored(f.default_value())
        by_text: dict[Any, Any] = {None: _EMPTY}
        by_list: dict[tuple[Any, ...], Any] = {}
        clean = f.clean

        def settle(v: Any) -> Any:
            if f.empty(v):
                return _EMPTY
            try:
                return stored(clean(v))
            except Exception:  # FieldError, or anything odd: the reference judges it
                return _BAD

        def judge(col: list[Any]) -> tuple[list[Any], list[int]]:
            if len(by_text) > 50_000:  # a column of mostly distinct values: bound the cache
                by_text.clear()
                by_text[None] = _EMPTY
            get = by_text.get
            if set(map(type, col)) <= {str, type(None)}:
                doubtful = False
                for v in set(col):
                    got = get(v)
                    if got is None:
                        got = by_text[v] = settle(v)
                    if got is _BAD or got is _EMPTY:
                        doubtful = True
                out = list(map(by_text.__getitem__, col))
                if not doubtful:
                    return out, []
            else:
                out = []
                append = out.append
                for v in col:
                    cls = v.__class__
                    if cls is str or v is None:
                        got = get(v)
                        if got is None:
                            got = by_text[v] = settle(v)
                    elif cls is list:
                        try:
                            key = tuple(v)
                            got = by_list.get(key)
                            if got is None:
                                got = by_list[key] = settle(list(v))
                        except TypeError:  # unhashable items
                            got = _BAD
                    elif cls is bool:
                        got = settle(v)
                    else:
                        got = _BAD
                    append(got)
            bad: list[int] = []
            if _BAD in out or _EMPTY in out:
                for p, got in enumerate(out):
                    if got is _BAD:
                        bad.append(p)
                    elif got is _EMPTY:
                        if required:
                            bad.append(p)
                        out[p] = default
            return out, bad

        return judge


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# --- stored form → what a database binds ----------------------------------------------------
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_column(col: list[Any], json_dumps: Callable[[Any], str]) -> list[str]:
    """A column in PostgreSQL's COPY text format."""
    texts: list[Any]
    if set(map(type, col)) == {str}:
        texts = col
    else:
        json_of: dict[tuple[Any, ...], str] = {}
        texts = []
        append = texts.append
        for v in col:
            cls = v.__class__
            if cls is str or v is None:
                append(v)
            elif cls is bool:
                append("t" if v else "f")
            elif cls is tuple:
                text = json_of.get(v)
                if text is None:
                    text = json_of[v] = json_dumps(list(v))
                append(text)
            else:
                append(str(v))
    joined = "".join(filter(None, texts))
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        texts = [t.translate(_COPY_ESCAPES) if t is not None else None for t in texts]
    if None in texts:
        texts = ["\\N" if t is None else t for t in texts]
    return texts


def copy_text(columns: list[list[str]]) -> bytes:
    if not columns or not columns[0]:
        return b""
    return ("\n".join(map("\t".join, zip(*columns, strict=True))) + "\n").encode("utf-8")
