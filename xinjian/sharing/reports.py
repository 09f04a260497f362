"""Credit reports (信用报告, domain.md §13): a point-in-time report on one enterprise with
a number and a verification code, so that consumers and partners can rely on a copy
handed to them (docs/adr/0066).

- The content is exactly the public profile (disclosure.queries.build_profile, which
  asks the disclosure policy and the lists' public sections), with the labels the public
  page shows. Risk classes and complaints are never read: architecture rule 5.
- It is frozen as canonical JSON (sorted keys, no whitespace, UTF-8) and its SHA-256.
- The verification code is an HMAC of the number and that digest under the project's
  secret: it is not stored, so neither a copy of the database nor an edit to it can
  produce a code that verifies. SECRET_KEY_FALLBACKS keep old codes valid through a key
  rotation (Django's own rotation mechanism).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext, gettext_noop

from xinjian.core.errors import DomainError, NotFound, field_error
from xinjian.core.workdays import SHANGHAI, today
from xinjian.disclosure import queries
from xinjian.disclosure.views import decorate_profile  # the labels the public page shows
from xinjian.registry.models import Division, Enterprise

from .models import CreditReport, ReportSequence

FORMAT = "xinjian-credit-report/1"
CODE_LENGTH = 12  # base32 characters: 60 bits of the HMAC
NUMBER_RE = re.compile(r"^XJ-\d{6}-\d{8}-\d{6}$")
_CODE_ALPHABET = set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
_HMAC_CONTEXT = b"xinjian.sharing.credit-report.v1"


class ReportNotVerified(NotFound):
    code = "report_not_verified"


# --- numbers ----------------------------------------------------------------------------


def next_number(day: dt.date) -> str:
    """XJ-<province>-<YYYYMMDD>-<6-digit sequence of the day>. Call inside the issuing
    transaction: the UPDATE locks the day's counter row until commit (PostgreSQL), and
    SQLite serialises writers, so two issuers never get the same number."""
    ReportSequence.objects.get_or_create(day=day)
    ReportSequence.objects.filter(day=day).update(last=F("last") + 1)
    last = ReportSequence.objects.values_list("last", flat=True).get(day=day)
    return f"XJ-{settings.XINJIAN_PROVINCE}-{day:%Y%m%d}-{last:06d}"


def normalize_number(value: str) -> str:
    number = (value or "").strip().upper()
    if not NUMBER_RE.match(number):
        raise DomainError(
            gettext("报告编号格式不正确"),
            code="invalid_report_number",
            details=[
                field_error("number", "invalid_format", gettext("报告编号格式应为 XJ-440000-20260101-000001"))
            ],
        )
    return number


def normalize_code(value: str) -> str:
    code = "".join(ch for ch in (value or "").upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or not set(code) <= _CODE_ALPHABET:
        raise DomainError(
            gettext("验证码格式不正确"),
            code="invalid_report_code",
            details=[
                field_error(
                    "code", "invalid_format", gettext("验证码为%(n)d位字母和数字") % {"n": CODE_LENGTH}
                )
            ],
        )
    return code


def display_code(code: str) -> str:
    """ABCD-EFGH-JKLM: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# --- content ----------------------------------------------------------------------------


def _strip_ids(value: Any) -> Any:
    """Record ids are database internals, not part of what is disclosed."""
    if isinstance(value, dict):
        return {k: _strip_ids(v) for k, v in value.items() if k != "id"}
    if isinstance(value, list):
        return [_strip_ids(v) for v in value]
    return value


def public_content(enterprise: Enterprise, as_of: dt.date, *, fresh: bool = True) -> dict[str, Any]:
    """What the public profile shows about `enterprise` on `as_of`, with its labels, as
    plain JSON values. `fresh` bypasses the profile cache (a report states what is public
    at the moment it is issued, not up to a minute before)."""

    data = queries.profile(enterprise, as_of, use_cache=not fresh)
    decorated = decorate_profile(data)
    division = Division.objects.filter(code=enterprise.region_code).first()
    decorated["division_name"] = division.full_name() if division else enterprise.region_code
    return json.loads(json.dumps(_strip_ids(decorated), cls=DjangoJSONEncoder, ensure_ascii=False))


def snapshot(
    enterprise: Enterprise, *, number: str, issued_at: dt.datetime, as_of: dt.date
) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "number": number,
        "issued_at": issued_at.astimezone(SHANGHAI).isoformat(),
        "as_of": as_of.isoformat(),
        "province": settings.XINJIAN_PROVINCE,
        "profile": public_content(enterprise, as_of),
    }


def canonical_json(content: dict[str, Any]) -> str:
    return json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    )


def digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# --- the verification code ----------------------------------------------------------------


def _code_with(secret: str, number: str, sha256: str) -> str:
    key = hashlib.sha256(_HMAC_CONTEXT + secret.encode("utf-8")).digest()
    mac = hmac.new(key, f"{number}\n{sha256}".encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(mac).decode("ascii")[:CODE_LENGTH]


def verification_code(number: str, sha256: str) -> str:
    return _code_with(settings.SECRET_KEY, number, sha256)


def code_matches(number: str, sha256: str, code: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(_code_with(s, number, sha256), code) for s in secrets)


# --- verification -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verified:
    report: CreditReport
    content: dict[str, Any]
    code: str

    @property
    def changed_since(self) -> bool:
        """Does the enterprise's public profile today differ from the one in the report
        (leaving aside the date it is stated for)?"""
        now = public_content(self.report.enterprise, today(), fresh=False)
        then = dict(self.content["profile"])
        now.pop("as_of", None)
        then.pop("as_of", None)
        return canonical_json(now) != canonical_json(then)


NOT_VERIFIED = gettext_noop("未找到与该报告编号和验证码相符的信用报告，请核对后重新输入")


def verify(number: str, code: str) -> Verified:
    """The report with this number, if `code` is its verification code and its stored
    content still hashes to the digest the code was made from. Malformed input is a 400
    naming the field; a well-formed pair that does not verify is one 404 whatever the
    reason, so the answer does not tell which numbers exist."""
    number = normalize_number(number)
    code = normalize_code(code)
    report = CreditReport.objects.select_related("enterprise").filter(number=number).first()
    if report is None or not code_matches(number, report.sha256, code):
        raise ReportNotVerified(gettext(NOT_VERIFIED))
    if digest(report.canonical) != report.sha256:  # the stored snapshot was altered
        raise ReportNotVerified(gettext(NOT_VERIFIED))
    return Verified(report=report, content=json.loads(report.canonical), code=code)
