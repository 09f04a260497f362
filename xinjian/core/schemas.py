"""The one error shape of the API (architecture rule 8, interfaces.md):
`{"error": {"code", "message", "details": [{"field", "code", "message"}]}}`, declared once
for every router's responses; `config.api`'s handlers produce it (`errors.error_body`)."""

from __future__ import annotations

from ninja import Schema


class FieldErrorOut(Schema):
    field: str
    code: str
    message: str


class ErrorBody(Schema):
    code: str
    message: str
    details: list[FieldErrorOut] = []


class ErrorOut(Schema):
    error: ErrorBody
