"""One error shape for the API: {"error": {"code", "message", "details"}} (rule 8)."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule said no. Carries a stable code, a human message and field details."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.details = details or []


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InvalidTransition(Conflict):
    code = "invalid_transition"


def error_body(code: str, message: str, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def field_error(field: str, code: str, message: str) -> dict[str, str]:
    return {"field": field, "code": code, "message": message}


def describe(error: DomainError, *models: Any, labels: dict[str, Any] | None = None) -> str:
    """The error as a person reads it on a page: the message, then each detail as
    "<field's label>：<message>" — the label from `labels` or the first of `models` that
    has the field, never the field's key (issue 14; the API keeps the keys and codes)."""

    def label_of(field: str) -> str:
        if labels and field in labels:
            return str(labels[field])
        for model in models:
            try:
                return str(model._meta.get_field(field).verbose_name)
            except Exception:  # noqa: BLE001 - FieldDoesNotExist, or not a model
                continue
        return ""

    parts = []
    for d in error.details:
        message = str(d.get("message") or "")
        if not message or message == error.message:
            continue
        base, _dot, sub = str(d.get("field") or "").partition(".")  # "ratios.A": the A entry
        name = label_of(base)
        if name and sub:
            name = f"{name}（{sub}）"
        parts.append(f"{name}：{message}" if name else message)
    return error.message + (f"（{'；'.join(parts)}）" if parts else "")
