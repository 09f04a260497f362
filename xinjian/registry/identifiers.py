"""Identifiers of domain.md §2: the unified social credit code (GB 32100-2015), the old
15-digit registration number, licence numbers and division codes."""

from __future__ import annotations

import re
import unicodedata

from django.utils.translation import gettext, gettext_noop
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as stdnum_uscc


class IdentifierError(ValueError):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def _fold(raw: str) -> str:
    # Full-width letters and digits (ＡＢＣ１２３) become ASCII; spaces and hyphens go.
    return unicodedata.normalize("NFKC", raw).strip()


def normalize_uscc(raw: str) -> str:
    """Return the canonical USCC or raise IdentifierError with a stable code.

    The outer mod-31 check is fixed and strict (python-stdnum). The inner GB 11714 check of
    the organisation code is *not* enforced here: some early codes fail it
    (see `organisation_code_warning`)."""
    if not isinstance(raw, str) or not raw.strip():
        raise IdentifierError("required", gettext("统一社会信用代码不能为空"))
    try:
        return str(stdnum_uscc.validate(_fold(raw)))
    except stdnum_errors.InvalidLength:
        raise IdentifierError("invalid_uscc", gettext("统一社会信用代码应为18位"))
    except stdnum_errors.InvalidFormat:
        raise IdentifierError(
            "invalid_uscc",
            gettext("统一社会信用代码格式错误：前8位应为数字，其余只能是数字或除I、O、S、V、Z外的大写字母"),
        )
    except stdnum_errors.InvalidChecksum:
        raise IdentifierError("invalid_uscc", gettext("统一社会信用代码校验码错误"))


_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def organisation_code_check(body: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def organisation_code_warning(uscc: str) -> str | None:
    """A warning (never a rejection) when positions 9–17 fail the GB 11714 check."""
    org = uscc[8:17]
    if organisation_code_check(org[:8]) != org[8]:
        return gettext("组织机构代码部分（第9-17位）校验不通过，部分早期代码存在此情况，请核实")
    return None


def is_valid_uscc(raw: str) -> bool:
    try:
        normalize_uscc(raw)
    except IdentifierError:
        return False
    return True


def normalize_registration_no(raw: str) -> str:
    value = _fold(raw)
    if not re.fullmatch(r"\d{15}", value):
        raise IdentifierError("invalid_registration_no", gettext("注册号应为15位数字"))
    return value


def normalize_division(raw: str) -> str:
    value = _fold(str(raw))
    if not re.fullmatch(r"\d{6}", value) or value[:2] == "00":
        raise IdentifierError("invalid_region_code", gettext("行政区划代码应为6位数字（GB/T 2260）"))
    return value


# Licence number shapes (domain.md §2). The SC check digit's algorithm is not public, so
# only the shape is checked.
LICENCE_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "food_production": (
        re.compile(r"SC1\d{13}"),
        gettext_noop("食品生产许可证编号应为SC加14位数字，类别首位为1"),
    ),
    "food_additive_production": (
        re.compile(r"SC2\d{13}"),
        gettext_noop("食品添加剂生产许可证编号应为SC加14位数字，类别首位为2"),
    ),
    "food_business": (re.compile(r"JY\d{14}"), gettext_noop("食品经营许可证编号应为JY加14位数字")),
    "special_equipment_production": (
        re.compile(r"TS\d{7}-\d{4}"),
        gettext_noop("特种设备生产许可证编号应为TS加7位数字-4位年份"),
    ),
    "special_equipment_filling": (
        re.compile(r"TS\d{7}-\d{4}"),
        gettext_noop("特种设备充装许可证编号应为TS加7位数字-4位年份"),
    ),
    "industrial_product": (
        re.compile(r"(\([\u4e00-\u9fff]\))?XK\d{2}-\d{3}-\d{5}"),
        gettext_noop("工业产品生产许可证编号应为XK加NN-NNN-NNNNN，省级发证可带省份简称如(浙)"),
    ),
}


def normalize_licence_no(licence_type: str, raw: str) -> str:
    value = _fold(raw).upper().replace("（", "(").replace("）", ")")
    rule = LICENCE_PATTERNS.get(licence_type)
    if rule and not rule[0].fullmatch(value):
        raise IdentifierError("invalid_licence_no", gettext(rule[1]))
    if not value:
        raise IdentifierError("required", gettext("许可证编号不能为空"))
    return value


def build_uscc(region_code: str, org_body: str, *, authority: str = "9", category: str = "1") -> str:
    """Compose a valid USCC from a division code and an 8-character organisation-code
    body: adds the GB 11714 inner check and the mod-31 outer check (demo data, tests)."""
    body = f"{authority}{category}{region_code}{org_body}{organisation_code_check(org_body)}"
    return body + stdnum_uscc.calc_check_digit(body)


# --- party type (for rules that differ by it, e.g. Order 45's lower-amount fine) ----------

LEGAL_PERSON = "legal_person"
OTHER_ORGANISATION = "other_organisation"
INDIVIDUAL_BUSINESS = "individual_business"

# Registered entity types that are not legal persons (Civil Code art. 102: sole
# proprietorships, partnerships; branches and other units without legal personality).
NON_LEGAL_PERSON_MARKERS = (
    "个人独资",
    "合伙",
    "分公司",
    "分支机构",
    "非法人",
    "营业单位",
    "办事处",
    "代表机构",
)


def party_type(uscc: str, entity_type: str = "") -> str:
    """Legal person, other organisation or individual business: an individual business by
    its USCC (registering authority 9, category 2: "92", GB 32100-2015), an organisation
    without legal personality by its registered entity type, otherwise a legal person."""
    if (uscc or "")[:2] == "92":
        return INDIVIDUAL_BUSINESS
    if any(m in (entity_type or "") for m in NON_LEGAL_PERSON_MARKERS):
        return OTHER_ORGANISATION
    return LEGAL_PERSON
