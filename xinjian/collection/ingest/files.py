"""Files in and out: CSV (UTF-8 or GBK/GB18030, detected), XLSX and JSON Lines, read as a
stream of records keyed by interfaces.md field names whatever the headers' language; the
per-kind template and the rejected rows as XLSX for officers to fix and re-upload."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import json
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext

from xinjian.core.spreadsheets import neutralise_row, restore

from . import fields as F
from .fields import unreadable
from .kinds import Kind

SAMPLE = 256 * 1024
MB = 1024 * 1024


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong type, no header, undecodable, past a limit)."""


@dataclass(frozen=True)
class Limits:
    """What reading a file may cost, checked before and while it is parsed (issue 13 item
    5: a 204 KB XLSX once took a worker to 1.4 GB, another took 37 s). Past a limit the
    file is refused with the reason; nothing of it is imported by an upload."""

    file_bytes: int | None  # the file as sent
    unzipped_bytes: int  # XLSX: all its parts inflated, as the zip directory declares them
    ratio: int  # XLSX: inflated / compressed, once the inflated size passes RATIO_FLOOR
    rows: int  # rows read, blank ones included
    columns: int  # the header's width; a row is read only as wide as its last known column
    seconds: float | None  # reading the rows


RATIO_FLOOR = 4 * MB  # small files cannot hurt whatever their ratio
# An officer's upload (at most MAX_RECORDS rows, about 2 MB of CSV) with room to spare.
UPLOAD_LIMITS = Limits(
    file_bytes=20 * MB, unzipped_bytes=64 * MB, ratio=100, rows=50_000, columns=500, seconds=30
)
# `manage.py ingest`: an administrator's large file, streamed; same reader, wider bounds.
COMMAND_LIMITS = Limits(
    file_bytes=None, unzipped_bytes=4096 * MB, ratio=200, rows=50_000_000, columns=500, seconds=None
)


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as UTF-8 — or nearly: a few bad
    bytes among many good characters are damage, rejected row by row, not a sign of
    GBK — else GB18030 (a superset of GBK, which older Chinese systems and Excel on
    Chinese Windows write)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
        return "utf-8"
    except UnicodeDecodeError:
        text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(sample, final=False)
        bad = text.count("\ufffd")
        good = sum(1 for ch in text if ord(ch) > 127) - bad
        return "utf-8" if good > 10 * bad else "gb18030"


# Decoding errors are replaced (U+FFFD) and counted, so that the rows holding them — and
# only in a file that had any — are rejected instead of stored with the damage.
_replaced = [0]


def _count_replacement(exc: UnicodeError) -> tuple[str, int]:
    _replaced[0] += 1
    return "\ufffd", exc.end  # type: ignore[attr-defined]


codecs.register_error("xinjian-replace", _count_replacement)


def _norm(header: Any) -> str:
    text = unicodedata.normalize("NFKC", str(header or "")).strip().lower()
    return text.replace("*", "").replace(" ", "").replace("_", "")


def header_map(kind: Kind) -> dict[str, str]:
    """Chinese label, English field name and aliases → field name."""
    out: dict[str, str] = {}
    for name, f in kind.fields.items():
        for h in (name, f.label, *f.aliases):
            out[_norm(h)] = name
    return out


@dataclass
class Sheet:
    """Records read from a file; `notes` tells the officer what was ignored."""

    records: Iterator[dict[str, Any]]
    columns: list[str]
    notes: list[str] = field(default_factory=list)
    encoding: str = ""
    # CSV: the same records a block at a time (`RowBlock`s), instead of `records`.
    blocks: Callable[[int], Iterator[Sequence[tuple[int, Any]]]] | None = None


class RowBlock(Sequence[tuple[int, Any]]):
    """Consecutive records of a CSV file as read, column by column (ADR 0067): each
    mapped field's cells ('' when empty) in `columns`; a row becomes a record — the dict
    `Sheet.records` would have given — only when one is asked for (a rejected or
    doubtful row). As a sequence: (index in the file's records, record)."""

    def __init__(
        self, start: int, rows: list[list[str]], pairs: list[tuple[int, str]], columns: dict[str, Any]
    ):
        self.start = start
        self.rows = rows
        self.pairs = pairs
        self.columns = columns

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, p: Any) -> Any:
        if not isinstance(p, int):
            raise TypeError("a RowBlock is indexed by position")
        if p < 0:
            p += len(self.rows)
        if not 0 <= p < len(self.rows):
            raise IndexError(p)
        return (self.start + p, self.record(self.rows[p]))

    def record(self, row: list[str]) -> dict[str, Any]:
        return {n: row[i] for i, n in self.pairs if row[i]}


class BlockSource:
    """Records for `Ingestion.run`: read a block at a time when the ingest can take them
    so (`blocks`), else one by one; `stop()` true ends the reading between blocks."""

    def __init__(
        self, blocks: Callable[[int], Iterator[Sequence[tuple[int, Any]]]], stop: Callable[[], bool]
    ):
        self._blocks = blocks
        self._stop = stop

    def blocks(self, size: int) -> Iterator[Sequence[tuple[int, Any]]]:
        for block in self._blocks(size):
            yield block
            if self._stop():
                return

    def __iter__(self) -> Iterator[Any]:
        for block in self.blocks(1000):
            for _, rec in block:
                yield rec


def _mapped(kind: Kind, headers: list[Any]) -> tuple[list[str | None], list[str]]:
    hm = header_map(kind)
    names: list[str | None] = []
    notes: list[str] = []
    for h in headers:
        name = hm.get(_norm(h))
        if name is None and _norm(h):
            notes.append(gettext("未识别的列“%(h)s”已忽略") % {"h": h})
        if name is not None and name in names:
            notes.append(gettext("列“%(h)s”重复，仅使用第一列") % {"h": h})
            name = None
        names.append(name)
    missing = [kind.fields[n].label for n, f in kind.fields.items() if f.required and n not in names]
    if not any(names):
        raise FileFormatError(gettext("未找到可识别的表头：请使用下载的模板，第一行为列名"))
    if missing:
        notes.append(gettext("缺少必填列：") + "、".join(missing))
    return names, notes


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return restore(value).strip()  # our own rejects file, fixed and uploaded again
    return value


def _rows_to_records(names: list[str | None], rows: Iterator[Any]) -> Iterator[dict[str, Any]]:
    for row in rows:
        cells = [_cell(v) for v in row]
        if not any(c not in (None, "") for c in cells):
            continue  # blank line
        rec: dict[str, Any] = {}
        for name, value in zip(names, cells, strict=False):
            if name is not None and value not in (None, ""):
                rec[name] = value
        yield rec


def _text_rows_to_records(
    names: list[str | None], rows: Iterator[list[str]], replaced: int = 0, first_line: int = 2
) -> Iterator[dict[str, Any]]:
    """CSV rows are text already: no cell conversion (this runs a million times).
    `replaced`: the decoding-error count before the file was opened."""
    pairs = [(i, n) for i, n in enumerate(names) if n is not None]
    width = len(names)
    for line, row in enumerate(rows, first_line):
        if isinstance(row, dict):  # an unreadable row, rejected with its reason
            yield row
            continue
        if _replaced[0] != replaced and any("\ufffd" in c for c in row):
            yield unreadable("bad_encoding", line, ",".join(row))
            continue
        if any("\x00" in c for c in row):
            # A NUL can be stored neither in PostgreSQL text nor in the preview's JSON: the
            # row is a reject with its reason before anything keeps it.
            yield unreadable("invalid_text", line, ",".join(row))
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        rec = {n: row[i] for i, n in pairs if row[i]}
        if rec or any(c.strip() for c in row):
            yield rec


def _text_row_blocks(
    names: list[str | None], rows: Iterator[Any], replaced: int, size: int
) -> Iterator[Sequence[tuple[int, Any]]]:
    """The records of `_text_rows_to_records`, `size` rows at a time: a block of plain
    rows (each as wide as the header, text a database can hold, some mapped cell filled)
    as a `RowBlock`; any other block as those records, one by one."""
    pairs = [(i, n) for i, n in enumerate(names) if n is not None]
    width = len(names)
    index, line = 0, 2
    while block := list(itertools.islice(rows, size)):
        plain = set(map(type, block)) == {list} and set(map(len, block)) == {width}
        if plain:
            lines = list(map("".join, block))
            text = "".join(lines)
            plain = (
                "\x00" not in text
                and (_replaced[0] == replaced or "\ufffd" not in text)
                and "" not in map(str.strip, lines)  # a blank row is no record
            )
        if plain:
            cells = list(zip(*block, strict=True))
            yield RowBlock(index, block, pairs, {n: cells[i] for i, n in pairs})
            index += len(block)
        else:
            records = list(_text_rows_to_records(names, iter(block), replaced, line))
            yield list(enumerate(records, index))
            index += len(records)
        line += len(block)


def read_file(kind: Kind, fh: IO[bytes], filename: str, limits: Limits = UPLOAD_LIMITS) -> Sheet:
    """Stream the records of an uploaded or local file. `fh` is a binary file object.
    Every row read comes out as a record, or as an `unreadable` marker that the ingest
    rejects with its reason; a limit passed raises FileFormatError (also while streaming)."""
    lower = filename.lower()
    if limits.file_bytes is not None and _size(fh) > limits.file_bytes:
        raise FileFormatError(
            gettext("文件超过%(mb)sMB，请拆分后上传，或由管理员使用 ingest 命令导入")
            % {"mb": limits.file_bytes // MB}
        )
    if lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(kind, fh, limits)
    if lower.endswith((".jsonl", ".ndjson")):
        return _read_jsonl(fh, limits)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(kind, fh, limits)
    raise FileFormatError(gettext("仅支持CSV（UTF-8或GBK编码）、XLSX和JSONL文件"))


def _size(fh: IO[bytes]) -> int:
    size = getattr(fh, "size", None)
    if size is None:
        at = fh.tell()
        size = fh.seek(0, io.SEEK_END)
        fh.seek(at)
    return int(size)


def _bounded(rows: Iterator[Any], limits: Limits) -> Iterator[Any]:
    """The rows of a file (blank ones included) within the row and time limits; whatever
    the parser raises on a damaged file mid-way (a truncated sheet) becomes a
    FileFormatError."""
    deadline = time.monotonic() + limits.seconds if limits.seconds else None
    n = 0
    try:
        for n, rec in enumerate(rows, 1):  # noqa: B007 - n is read after the loop breaks
            if n > limits.rows:
                raise FileFormatError(gettext("文件超过%(rows)s行，未读取") % {"rows": f"{limits.rows:,}"})
            if deadline is not None and not n % 256 and time.monotonic() > deadline:
                raise FileFormatError(
                    gettext("读取文件超过%(seconds)s秒（已读%(n)s行），请拆分后上传")
                    % {"seconds": limits.seconds, "n": n}
                )
            yield rec
    except FileFormatError:
        raise
    except Exception as exc:  # the parsers raise many types for a damaged file
        raise FileFormatError(
            gettext("文件第%(n)s行之后无法读取（%(name)s），文件可能已损坏或被截断")
            % {"n": n + 1, "name": type(exc).__name__}
        ) from exc


def _read_csv(kind: Kind, fh: IO[bytes], limits: Limits) -> Sheet:
    start = fh.read(SAMPLE)
    encoding = detect_encoding(start)
    rest = _chain(start, fh)
    replaced = _replaced[0]
    text = io.TextIOWrapper(rest, encoding=encoding, newline="", errors="xinjian-replace")  # type: ignore[type-var]
    reader = csv.reader(text)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileFormatError(gettext("文件为空"))
    except csv.Error:
        raise FileFormatError(gettext("无法读取CSV表头（第一行）"))
    names, notes = _mapped(kind, headers)
    rows = _bounded(_csv_rows(reader), limits)
    return Sheet(
        _text_rows_to_records(names, rows, replaced),
        [n for n in names if n],
        notes,
        encoding,
        blocks=lambda size: _text_row_blocks(names, rows, replaced, size),
    )


def _csv_rows(reader: Any) -> Iterator[Any]:
    """The reader's rows; a row it cannot parse (a field past csv.field_size_limit) comes
    out as an `unreadable` marker and reading goes on with the next line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            code = "field_too_large" if "field limit" in str(exc) else "unreadable_row"
            yield unreadable(code, reader.line_num)


class _chain(io.RawIOBase):
    """The sample already read, then the rest of the file: a stream, never all in memory."""

    def __init__(self, head: bytes, tail: IO[bytes]):
        self.head, self.tail = head, tail

    def readable(self) -> bool:
        return True

    def readinto(self, b: Any) -> int:
        if self.head:
            n = min(len(b), len(self.head))
            b[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.tail.read(len(b))
        b[: len(data)] = data
        return len(data)


def _check_zip(fh: IO[bytes], limits: Limits) -> None:
    """Refuse a zip bomb or a damaged file before openpyxl parses anything. zipfile never
    inflates a part past the size its directory declares (it stops there and fails the
    CRC), so the declared sizes bound what parsing can inflate."""
    try:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
            inflated = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos)
            if len(infos) > 10_000 or inflated > limits.unzipped_bytes:
                raise FileFormatError(
                    gettext("XLSX文件解压后超过%(mb)sMB，未读取") % {"mb": limits.unzipped_bytes // MB}
                )
            if inflated > RATIO_FLOOR and inflated > limits.ratio * max(packed, 1):
                raise FileFormatError(
                    gettext("XLSX文件压缩比异常（%(ratio)s倍），疑似压缩炸弹，未读取")
                    % {"ratio": inflated // max(packed, 1)}
                )
            bad = zf.testzip()  # every part's CRC: a truncated or altered file stops here
            if bad is not None:
                raise FileFormatError(gettext("XLSX文件已损坏（%(part)s），未读取") % {"part": bad[:100]})
    except FileFormatError:
        raise
    except Exception as exc:  # BadZipFile, EOFError, zlib.error, …: not a readable XLSX
        raise FileFormatError(gettext("无法读取XLSX文件：%(name)s") % {"name": type(exc).__name__})
    finally:
        fh.seek(0)


def _read_xlsx(kind: Kind, fh: IO[bytes], limits: Limits) -> Sheet:
    from openpyxl import load_workbook

    _check_zip(fh, limits)
    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        # Never trust the sheet's declared dimension: a header saying A1:B2 made openpyxl
        # stop after one row of fifty, and a wide one pads every row to its width.
        ws.reset_dimensions()
        first = next(ws.iter_rows(max_row=1, values_only=True), None)
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise FileFormatError(gettext("无法读取XLSX文件：%(name)s") % {"name": type(exc).__name__})
    if first is None:
        raise FileFormatError(gettext("工作表为空"))
    headers = list(first)
    while headers and headers[-1] in (None, ""):
        headers.pop()
    if len(headers) > limits.columns:
        raise FileFormatError(gettext("表头超过%(n)s列，未读取") % {"n": limits.columns})
    names, notes = _mapped(kind, headers)
    # Rows are read only as wide as the last recognised column: cells beyond it have no
    # header (ignored anyway), and a stray cell in column XFD cannot widen every row.
    width = max(i for i, n in enumerate(names, 1) if n)
    rows = _bounded(ws.iter_rows(min_row=2, max_col=width, values_only=True), limits)
    if len(wb.worksheets) > 1:
        notes.append(gettext("只读取第一个工作表“%(name)s”，其余工作表已忽略") % {"name": ws.title})
    return Sheet(_rows_to_records(names, rows), [n for n in names if n], notes, "xlsx")


def _read_jsonl(fh: IO[bytes], limits: Limits) -> Sheet:
    def records() -> Iterator[Any]:
        text = io.TextIOWrapper(fh, encoding="utf-8-sig", errors="replace")  # type: ignore[arg-type]
        for n, line in enumerate(text, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except ValueError:
                yield line[:500]  # kept as sent; rejected as not a JSON object
            except RecursionError:
                yield unreadable("too_deep", n, line)

    return Sheet(_bounded(records(), limits), [], [], "jsonl")


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def template_xlsx(kind: Kind) -> bytes:
    """The upload template of a kind: Chinese headers (required ones marked *), one
    example-free row of hints on a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = kind.label
    ws.append(neutralise_row(f"{f.label}*" if f.required else f.label for f in kind.fields.values()))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for col, f in enumerate(kind.fields.values(), start=1):
        ws.cell(row=1, column=col).number_format = "@"
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = max(12, len(f.label) * 2 + 4)
    help_ws = wb.create_sheet("填写说明")
    help_ws.append(["列名", "接口字段", "必填", "说明"])
    for name, f in kind.fields.items():
        help_ws.append(
            neutralise_row([f.label, name, "是" if f.required else "否", f.example() or _type_hint(f)])
        )
    help_ws.append([])
    help_ws.append(["日期格式为YYYY-MM-DD；也接受英文列名（接口字段名）；带*的列必填。"])
    return _save(wb)


def _type_hint(f: Any) -> str:

    if isinstance(f, F.Date):
        return "日期，YYYY-MM-DD" + ("，不晚于今天" if f.past else "")
    if isinstance(f, F.Amount):
        return "数字，不能为负"
    if isinstance(f, F.Bool):
        return "是/否"
    if isinstance(f, F.Uscc):
        return "18位统一社会信用代码（或15位注册号）"
    return ""


def rejects_xlsx(kind: Kind, rejects: Any) -> bytes:
    """Rejected rows with the same headers as the template plus the reasons, so that the
    officer fixes them in place and uploads the file again."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(kind.label)
    names = list(kind.fields)
    ws.append(neutralise_row([kind.fields[n].label for n in names] + ["原行号", "错误说明"]))
    for r in rejects:
        rec = r.record if isinstance(r.record, dict) else {}
        row = [_excel_value(rec.get(n)) for n in names]
        reasons = "；".join(
            f"{kind.fields[e['field']].label if e.get('field') in kind.fields else e.get('field') or '记录'}："
            f"{e['message']}"
            for e in r.errors
        )
        ws.append(neutralise_row(row + [r.index + 2, reasons]))
    return _save(wb)


def _excel_value(v: Any) -> Any:
    if isinstance(v, list):
        return ";".join(map(str, v))
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False)
    return v


def _save(wb: Any) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
