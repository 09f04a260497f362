"""Proof-of-fulfilment uploads (domain.md §12 materials), stored safely:

- only PDF, JPEG and PNG, recognised by their first bytes (the name and the browser's
  content type are not trusted);
- at most `max_document_mb` (rule table) each;
- written under `XINJIAN_VAR_DIR/uploads/repair/` with a random name, outside every
  static or public directory, and served only through `views.document`, which checks who
  asks (the enterprise itself, or staff whose jurisdiction holds the enterprise).
"""

from __future__ import annotations

import hashlib
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, field_error

from .models import RepairApplication, RepairDocument

# (first bytes, content type, extension)
SIGNATURES: list[tuple[bytes, str, str]] = [
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
]
MAX_FILES = 10


def storage_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads" / "repair"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(doc: RepairDocument) -> Path:
    return storage_dir() / doc.stored_name


def _sniff(head: bytes) -> tuple[str, str] | None:
    for magic, ctype, ext in SIGNATURES:
        if head.startswith(magic):
            return ctype, ext
    return None


def store(app: RepairApplication, upload: Any, *, actor: Any, max_mb: int) -> RepairDocument:
    """Check and keep one uploaded file (a Django UploadedFile)."""
    return store_all(app, [upload], actor=actor, max_mb=max_mb)[0]


def store_all(app: RepairApplication, uploads: list[Any], *, actor: Any, max_mb: int) -> list[RepairDocument]:
    """Check every file first, then keep them all; called inside the application's action
    transaction. Checking before writing means a bad file refuses the request without
    leaving the good ones on disk with no row to point at them; a file written before a
    later failure is removed again."""
    have = app.documents.count()
    checked = [_check(upload, max_mb, have + i) for i, upload in enumerate(uploads)]
    written: list[Path] = []
    try:
        return [_write(app, upload, name, size, kind, actor, written) for upload, name, size, kind in checked]
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise


def _check(upload: Any, max_mb: int, have: int) -> tuple[Any, str, int, tuple[str, str]]:
    name = (getattr(upload, "name", "") or "file").replace("\x00", "")[-200:] or "file"
    if have >= MAX_FILES:
        raise DomainError(
            _("每份申请最多上传%d个材料") % MAX_FILES, details=[field_error("documents", "too_many", name)]
        )
    size = int(getattr(upload, "size", 0) or 0)
    if size <= 0:
        raise DomainError(_("材料“%s”为空文件") % name, details=[field_error("documents", "empty", name)])
    if size > max_mb * 1024 * 1024:
        raise DomainError(
            _("材料“%(name)s”超过%(mb)dMB") % {"name": name, "mb": max_mb},
            code="file_too_large",
            details=[field_error("documents", "too_large", name)],
        )
    upload.seek(0)
    kind = _sniff(upload.read(16))
    if kind is None:
        raise DomainError(
            _("材料“%s”不是PDF、JPG或PNG文件") % name,
            code="file_type",
            details=[field_error("documents", "file_type", name)],
        )
    return upload, name, size, kind


def _write(
    app: RepairApplication,
    upload: Any,
    name: str,
    size: int,
    kind: tuple[str, str],
    actor: Any,
    written: list[Path],
) -> RepairDocument:
    ctype, ext = kind
    stored = f"{secrets.token_hex(16)}.{ext}"
    digest = hashlib.sha256()
    upload.seek(0)
    path = storage_dir() / stored
    with path.open("xb") as out:
        written.append(path)
        for chunk in upload.chunks():
            digest.update(chunk)
            out.write(chunk)
    who = as_actor(actor)
    doc = RepairDocument.objects.create(
        application=app,
        original_name=name,
        stored_name=stored,
        content_type=ctype,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_at=timezone.now(),
        uploaded_by=who.label,
    )
    audit.record(
        "repair.document",
        doc,
        actor=who,
        after={"application": app.number, "name": name, "size": size, "sha256": doc.sha256},
        uscc=app.enterprise.uscc,
    )
    return doc
