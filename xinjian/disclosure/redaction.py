"""Personal data removed from decision texts before display (domain.md §5; Order 45
art. 11): natural persons' ID numbers, phone numbers, bank account numbers, home
addresses; natural persons' names masked as 张某.

Approach (docs/adr/0032): names are found two ways — the names the record itself knows
(the legal representative, passed in by the caller) and the names that follow a role
label in the text (当事人：张三，法定代表人：李四…). A token after a label counts as a
person's name only when it is 2–4 Han characters and not an organisation (…公司, …厂);
every occurrence of a found name is then masked, also where the text repeats it without
a label. Numbers are removed by shape, with labels for the shapes that are ambiguous
(15-digit old ID numbers look like old registration numbers, which are public).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

ID_MASK = "[身份证号码已隐去]"
PHONE_MASK = "[电话号码已隐去]"
BANK_MASK = "[银行账号已隐去]"
ADDRESS_MASK = "[住址已隐去]"

# GB 11643: 6-digit area, birth date YYYYMMDD, 3-digit sequence, check digit or X.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
# 15-digit (pre-1999) ID numbers only after a label: a bare 15-digit number is more likely
# an enterprise's old registration number, which is public.
_ID_LABELLED = re.compile(
    r"((?:公民)?身份证(?:件)?(?:号码|号)?|证件号码)\s*[：:为是]?\s*[0-9]{15}(?:[0-9]{2}[0-9Xx])?"
)
_MOBILE = re.compile(r"(?<![0-9])(?:(?:\+|00)?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])")
_LANDLINE = re.compile(
    r"(?<![0-9])(?:[(（]0\d{2,3}[)）]|0\d{2,3}-?)\s?[2-9]\d{6,7}(?:[-转]\d{1,6})?(?![0-9])"
)
_PHONE_LABELLED = re.compile(r"((?:联系)?电话|手机(?:号码)?|联系方式)\s*[：:为是]?\s*[0-9][0-9\- ]{6,}[0-9]")
_BANK_LABELLED = re.compile(
    r"((?:银行)?(?:账号|帐号|账户|帐户|卡号)(?:号码)?)\s*[：:为是]?\s*\d(?:[\d ]{10,30})\d"
)
# An unlabelled run of 16–21 digits (optionally grouped by spaces) is an account number:
# ID numbers are removed before this runs, and no public identifier is that long in digits.
_BANK_BARE = re.compile(r"(?<![0-9A-Za-z])\d{4}(?: ?\d{4}){3}(?: ?\d{1,5})?(?![0-9A-Za-z])")
_ADDRESS = re.compile(
    r"((?:家庭|户籍|现|常)?住址(?:地)?|户籍(?:所在)?地|居住地(?:址)?|住在)\s*[：:为是]?\s*[^，,。；;\n）)]+"
)

_ROLE = (
    r"当事人|法定代表人|负责人|经营者|投资人|委托代理人|代理人|联系人|股东|执行事务合伙人|"
    r"实际控制人|业主|姓名|被检查人|被处罚人|主要负责人"
)
_NAME_AFTER_ROLE = re.compile(
    rf"(?:{_ROLE})(?:[（(][^）)]{{0,10}}[)）])?\s*[：:为是]?\s*([\u4e00-\u9fa5·]{{2,4}})(?=[，,。；;、\s（(]|$)"
)
_ORG_SUFFIX = re.compile(r"(公司|厂|店|部|社|中心|院|所|局|站|场|行|馆|会|处|队|科|室|园|坊|铺)$")
_COMPOUND_SURNAMES = {
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "令狐",
    "端木",
    "独孤",
    "澹台",
    "轩辕",
    "呼延",
    "南宫",
    "西门",
}


def mask_name(name: str) -> str:
    """张三 → 张某, 欧阳娜娜 → 欧阳某."""
    name = name.strip()
    if len(name) < 2:
        return name
    surname = name[:2] if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return surname + "某"


def _is_person_name(token: str) -> bool:
    return 2 <= len(token) <= 4 and not _ORG_SUFFIX.search(token) and "某" not in token


def find_names(text: str) -> set[str]:
    return {m.group(1) for m in _NAME_AFTER_ROLE.finditer(text) if _is_person_name(m.group(1))}


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    """The text with personal data removed. `names`: natural persons the record names
    (e.g. the legal representative), masked wherever they occur."""
    if not text:
        return text
    out = _ID_LABELLED.sub(lambda m: f"{m.group(1)}：{ID_MASK}", text)
    out = _ID18.sub(ID_MASK, out)
    out = _BANK_LABELLED.sub(lambda m: f"{m.group(1)}：{BANK_MASK}", out)
    out = _PHONE_LABELLED.sub(lambda m: f"{m.group(1)}：{PHONE_MASK}", out)
    out = _MOBILE.sub(PHONE_MASK, out)
    out = _LANDLINE.sub(PHONE_MASK, out)
    out = _BANK_BARE.sub(BANK_MASK, out)
    out = _ADDRESS.sub(lambda m: f"{m.group(1)}：{ADDRESS_MASK}", out)
    people = {n.strip() for n in names if n and _is_person_name(n.strip())} | find_names(out)
    # Longest first, so 欧阳娜娜 is masked before a shorter name inside it.
    for name in sorted(people, key=len, reverse=True):
        out = out.replace(name, mask_name(name))
    return out
