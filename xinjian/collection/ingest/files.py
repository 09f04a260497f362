"""Files in and out: CSV (UTF-8 or GBK/GB18030, detected), XLSX and JSON Lines, read as a
stream of records keyed by interfaces.md field names whatever the headers' language; the
per-kind template and the rejected rows as XLSX for officers to fix and re-upload."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext

from xinjian.core.spreadsheets import neutralise_row, restore

from .kinds import Kind

SAMPLE = 256 * 1024


class FileFormatError(ValueError):
    """The file cannot be read at all (wrong type, no header, undecodable)."""


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) when the sample decodes as UTF-8, else GB18030 (a
    superset of GBK, which older Chinese systems and Excel on Chinese Windows write)."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)  # a character cut at the sample's end is fine
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"


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


def _text_rows_to_records(names: list[str | None], rows: Iterator[list[str]]) -> Iterator[dict[str, Any]]:
    """CSV rows are text already: no cell conversion (this runs a million times)."""
    pairs = [(i, n) for i, n in enumerate(names) if n is not None]
    width = len(names)
    for row in rows:
        if len(row) < width:
            row = row + [""] * (width - len(row))
        rec = {n: row[i] for i, n in pairs if row[i]}
        if rec or any(c.strip() for c in row):
            yield rec


def read_file(kind: Kind, fh: IO[bytes], filename: str) -> Sheet:
    """Stream the records of an uploaded or local file. `fh` is a binary file object."""
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(kind, fh)
    if lower.endswith((".jsonl", ".ndjson")):
        return _read_jsonl(fh)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(kind, fh)
    raise FileFormatError(gettext("仅支持CSV（UTF-8或GBK编码）、XLSX和JSONL文件"))


def _read_csv(kind: Kind, fh: IO[bytes]) -> Sheet:
    start = fh.read(SAMPLE)
    encoding = detect_encoding(start)
    rest = _chain(start, fh)
    text = io.TextIOWrapper(rest, encoding=encoding, newline="", errors="replace")  # type: ignore[type-var]
    reader = csv.reader(text)
    try:
        headers = next(reader)
    except StopIteration:
        raise FileFormatError(gettext("文件为空"))
    names, notes = _mapped(kind, headers)
    return Sheet(_text_rows_to_records(names, reader), [n for n in names if n], notes, encoding)


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


def _read_xlsx(kind: Kind, fh: IO[bytes]) -> Sheet:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(fh, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not XLSX
        raise FileFormatError(gettext("无法读取XLSX文件：%(name)s") % {"name": type(exc).__name__})
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    try:
        headers = list(next(rows))
    except StopIteration:
        raise FileFormatError(gettext("工作表为空"))
    names, notes = _mapped(kind, headers)
    return Sheet(_rows_to_records(names, rows), [n for n in names if n], notes, "xlsx")


def _read_jsonl(fh: IO[bytes]) -> Sheet:
    def records() -> Iterator[Any]:
        for line in io.TextIOWrapper(fh, encoding="utf-8-sig"):  # type: ignore[arg-type]
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line)
            except ValueError:
                yield line[:500]  # kept as sent; rejected as not a JSON object

    return Sheet(records(), [], [], "jsonl")


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
    from . import fields as F

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
