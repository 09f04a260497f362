"""Where the demo's people work, for whichever province the demo is of (issue 15).

The demo logins were written for Guangdong: a county credit officer, inspectors and the
enterprise user in 南山区, city supervisors and the approver in 深圳市, two inspectors in a
second county of that city and two in a county of another city. In any other province the
same roles get the equivalent places, chosen from the divisions in force (GB/T 2260): the
first city that has at least two counties, its first two counties, and the first county
of the next such city. Guangdong keeps its places, which the tests and the README name."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from xinjian.registry.models import Department, Division, Enterprise

NATIONAL = "000000"
# Guangdong's demo places (the README and the browser tests walk through them).
GUANGDONG = ("440000", "440300", "440305", "440306", "440104")

# Each province's one-character abbreviation (简称), used where a decision number starts
# with the issuing province ("粤市监…"). Not part of GB/T 2260; the State Council's list.
ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}  # fmt: skip


def short_name(province_name: str) -> str:
    """广东省 → 广东, 广西壮族自治区 → 广西, 北京市 → 北京: how an enterprise name starts
    when it names its province."""
    for suffix in ("壮族自治区", "回族自治区", "维吾尔自治区", "自治区", "省", "市"):
        if province_name.endswith(suffix):
            return province_name[: -len(suffix)]
    return province_name


@dataclass(frozen=True)
class Places:
    province: str  # 440000
    city: str  # 440300: the city supervisors and the approver
    county: str  # 440305: the county officer, three inspectors, enforcement, the enterprise
    county2: str  # 440306: a second county of the same city (two more inspectors)
    other_county: str  # 440104: a county of another city (two more inspectors)
    names: dict[str, str]  # division code → its name (南山区)

    def name(self, code: str) -> str:
        return self.names.get(code, code)

    @property
    def county_full(self) -> str:
        """深圳市南山区"""
        return self.name(self.city) + self.name(self.county)

    def dept(self, code: str) -> str:
        """The market regulation department of a division, as the register names it."""
        found = Department.objects.filter(division_id=code).values_list("name", flat=True).first()
        return found or f"{self.name(code)}市场监督管理局"

    @property
    def short(self) -> str:
        """深南: the city's and the county's first characters, as decision numbers begin."""
        return self.name(self.city)[:1] + self.name(self.county)[:1]

    @property
    def abbreviation(self) -> str:
        return ABBREVIATIONS.get(self.province[:2], self.name(self.province)[:1])


def demo_province(province: str | None = None) -> str:
    """The province the demo is of: the one asked for, else the configured one; on the
    national hub, the province of the demo enterprises already loaded (Guangdong if none)."""
    wanted = province or settings.XINJIAN_PROVINCE
    if wanted != NATIONAL:
        return wanted
    first = (
        Enterprise.objects.filter(source="demo").order_by("id").values_list("region_code", flat=True).first()
    )
    return f"{first[:2]}0000" if first else GUANGDONG[0]


def demo_places(province: str | None = None) -> Places:
    code = demo_province(province)
    divisions = {
        d.code: d.name
        for d in Division.objects.current().filter(code__startswith=code[:2]).only("code", "name")
    }
    if code == GUANGDONG[0]:
        return Places(*GUANGDONG, names=divisions)
    counties: dict[str, list[str]] = {}
    for c in sorted(divisions):
        if c[2:] != "0000" and c[4:] != "00":
            counties.setdefault(c[:4] + "00", []).append(c)
    cities = [c for c, under in sorted(counties.items()) if len(under) >= 2] or sorted(counties)
    if not cities:
        # A province without counties in force: every place is the province itself.
        return Places(code, code, code, code, code, names=divisions)
    city = cities[0]
    first = counties[city]
    other = counties[cities[1]] if len(cities) > 1 else first
    return Places(
        province=code,
        city=city,
        county=first[0],
        county2=first[1] if len(first) > 1 else first[0],
        other_county=other[0],
        names=divisions,
    )
