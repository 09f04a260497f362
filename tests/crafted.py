"""Hostile files built in the test, never stored: zip bombs, lying dimensions, stray
cells far right, truncated workbooks, oversize CSV fields, NUL and bad UTF-8. Shared by
tests/test_upload_bombs.py and the security probe (`make security`)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable

PENALTY_HEADERS = [
    "来源编号",
    "统一社会信用代码",
    "决定书文号",
    "处罚决定日期",
    "处罚机关",
    "领域",
    "处罚种类",
    "违法行为类型",
]


def penalty_rows(uscc: str, n: int, prefix: str = "C") -> list[list[str]]:
    return [
        [
            f"{prefix}-{i}",
            uscc,
            f"深南市监罚〔2024〕{i}号",
            "2024-03-05",
            "深圳市南山区市场监督管理局",
            "food_safety",
            "warning",
            "生产经营超过保质期的食品",
        ]
        for i in range(1, n + 1)
    ]


def csv_file(rows: list[list[str]], headers: list[str] = PENALTY_HEADERS) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(headers)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_file(rows: list[list[object]], headers: list[str] = PENALTY_HEADERS) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite_zip(content: bytes, parts: dict[str, bytes | Callable[[bytes], bytes]]) -> bytes:
    """The same zip with some parts replaced (bytes) or transformed (a function of the old
    bytes); a name not in the zip is added."""
    src = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            new = parts.get(info.filename)
            if new is not None:
                data = new(data) if callable(new) else new
            dst.writestr(info.filename, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
        for name, new in parts.items():
            if name not in src.namelist() and not callable(new):
                dst.writestr(name, new, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def lying_dimension(content: bytes, ref: str = "A1:B2") -> bytes:
    """The first sheet's header declares a smaller range than it holds."""
    return rewrite_zip(
        content,
        {
            "xl/worksheets/sheet1.xml": lambda x: re.sub(
                rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), x
            )
        },
    )


def zip_bomb(content: bytes, megabytes: int) -> bytes:
    """A valid workbook carrying a part that inflates to `megabytes` of zeros (about a
    thousand to one)."""
    return rewrite_zip(content, {"xl/media/padding.bin": b"\0" * (megabytes * 1024 * 1024)})


def shared_strings_bomb(megabytes: int) -> bytes:
    """A workbook whose shared-strings part is one highly compressible string of
    `megabytes`: openpyxl would hold it in memory (the 204 KB → 1.4 GB file)."""
    big = b"A" * (megabytes * 1024 * 1024)
    sst = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        b"<si><t>" + big + b"</t></si></sst>"
    )
    return rewrite_zip(xlsx_file([["x"]]), {"xl/sharedStrings.xml": sst})


def far_right_cells(rows: int, stray: bool = True) -> bytes:
    """Header plus `rows` rows of numbers written by hand, each (when `stray`) with one
    more cell in column XFD (16,384) and the dimension declaring it: a reader that pads
    rows to their last cell builds 16,384 cells per row (the 37 s file)."""
    base = xlsx_file([])

    def cell(col: str, row: int, text: str) -> str:
        return f'<c r="{col}{row}" t="inlineStr"><is><t>{text}</t></is></c>'

    def sheet(_old: bytes) -> bytes:
        cols = "ABCDEFGH"
        head = "".join(cell(c, 1, h) for c, h in zip(cols, PENALTY_HEADERS, strict=True))
        body = []
        for i in range(2, rows + 2):
            cells = "".join(f'<c r="{c}{i}"><v>{i}</v></c>' for c in cols)
            body.append(
                f'<row r="{i}">{cells}' + (f'<c r="XFD{i}"><v>{i}</v></c>' if stray else "") + "</row>"
            )
        last = "XFD" if stray else "H"
        return (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<dimension ref="A1:{last}{rows + 1}"/><sheetData><row r="1">{head}</row>{"".join(body)}'
            "</sheetData></worksheet>"
        ).encode()

    return rewrite_zip(base, {"xl/worksheets/sheet1.xml": sheet})


def truncated(content: bytes) -> bytes:
    return content[: len(content) * 2 // 3]


def oversize_field_csv(uscc: str, rows: int = 5, at: int = 3, size: int = 200_000) -> bytes:
    data = penalty_rows(uscc, rows, "F")
    data[at - 1][4] = "x" * size  # decided_by, past csv.field_size_limit (131,072)
    return csv_file(data)


def nul_and_bad_utf8_csv(uscc: str) -> bytes:
    good = penalty_rows(uscc, 3, "N")
    good[0][7] = "生产经营\x00超过保质期的食品"
    body = csv_file(good)
    return body + b"N-9," + uscc.encode() + b",\xff\xfe\xfa bad,2024-03-05,x,food_safety,warning,y\r\n"


def deep_json_line(depth: int = 100_000) -> bytes:
    return b"[" * depth + b"]" * depth + b"\n"
