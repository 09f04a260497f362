"""Officers' file uploads: parse → preview (the ingest's own judgement, nothing written)
→ confirm (the ingest proper) or discard. Records an officer uploads are provided by the
department ("upload:<division code>") and must concern enterprises in its jurisdiction."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.jurisdiction import user_region_prefix

from .actions import ingest_records
from .ingest.engine import MAX_RECORDS, Ingestion, Reject
from .ingest.files import FileFormatError, read_file
from .ingest.kinds import Kind, get_kind
from .models import BatchStatus, Channel, IngestBatch


class UploadError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def department_of(user: Any) -> str:
    staff = getattr(user, "staff_profile", None)
    return staff.department.division_id if staff else ""


def source_for(user: Any) -> str:
    # Who provides it answers for it (domain.md §4): the department, not the person.
    return f"upload:{department_of(user) or 'platform'}"


def _scope(user: Any) -> str | None:
    prefix = user_region_prefix(user)
    return prefix or None  # operators ("") upload for anywhere


@transaction.atomic
def prepare(kind_name: str, upload: Any, *, user: Any) -> IngestBatch:
    """Read the uploaded file and keep its rows on a batch awaiting confirmation."""
    kind = get_kind(kind_name)
    try:
        sheet = read_file(kind, upload, upload.name)
        rows = []
        for rec in sheet.records:
            rows.append(audit.jsonable(rec))
            if len(rows) > MAX_RECORDS:
                raise UploadError(
                    gettext("单个文件最多%(MAX_RECORDS)s行，更大的文件请由管理员使用 ingest 命令导入")
                    % {"MAX_RECORDS": MAX_RECORDS}
                )
    except FileFormatError as e:
        raise UploadError(str(e))
    if not rows:
        raise UploadError(gettext("文件中没有数据行"))
    notes = list(sheet.notes)
    if sheet.encoding and sheet.encoding not in ("xlsx", "jsonl"):
        notes.insert(
            0,
            gettext("文件编码：%(value)s")
            % {"value": "GBK/GB18030" if sheet.encoding == "gb18030" else "UTF-8"},
        )
    batch = IngestBatch.objects.create(
        kind=kind.name,
        source=source_for(user),
        channel=Channel.UPLOAD,
        status=BatchStatus.PREVIEWED,
        actor_label=user.get_username(),
        uploaded_by=user,
        region_code=department_of(user),
        file_name=upload.name[:200],
        payload=rows,
        notes=notes,
    )
    audit.record(
        "ingest.upload_prepared",
        batch,
        actor=user,
        after={"rows": len(rows), "kind": kind.name},
        reason=upload.name[:200],
    )
    return batch


def judge(batch: IngestBatch, user: Any) -> dict[str, Any]:
    run = Ingestion(
        get_kind(batch.kind),
        source=batch.source,
        actor=user,
        channel=Channel.UPLOAD,
        region_prefix=_scope(user),
    )
    return run.preview(batch.payload or [])


def confirm(batch: IngestBatch, *, user: Any) -> IngestBatch:
    # Claim the batch first: a double-clicked confirm imports once.
    if not IngestBatch.objects.filter(pk=batch.pk, status=BatchStatus.PREVIEWED).update(
        status=BatchStatus.RUNNING
    ):
        batch.refresh_from_db()
        return batch
    batch.status = BatchStatus.RUNNING
    rows = batch.payload or []
    result, _ = ingest_records(
        batch.kind,
        rows,
        actor=user,
        source=batch.source,
        channel=Channel.UPLOAD,
        region_prefix=_scope(user),
        batch=batch,
        keep_results=False,
    )
    return result


@transaction.atomic
def discard(batch: IngestBatch, *, user: Any) -> None:
    IngestBatch.objects.filter(pk=batch.pk, status=BatchStatus.PREVIEWED).update(
        status=BatchStatus.DISCARDED, payload=None, finished_at=timezone.now()
    )
    audit.record("ingest.upload_discarded", batch, actor=user, reason=batch.file_name)


def reject_rows(kind: Kind, rejects: Any) -> list[dict[str, Any]]:
    """Rows for the preview and batch pages: spreadsheet row number, key and reasons."""
    out = []
    for r in rejects:
        errors = r.errors
        record = r.raw if isinstance(r, Reject) else r.record
        out.append(
            {
                "row": r.index + 2,  # header is row 1
                "source_id": r.source_id or "",
                "errors": [
                    {
                        "label": kind.fields[e["field"]].label
                        if e.get("field") in kind.fields
                        else (e.get("field") or gettext("记录")),
                        **e,
                    }
                    for e in errors
                ],
                "record": record,
            }
        )
    return out
