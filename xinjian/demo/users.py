"""Demo logins: one person per role, all with the same well-known password.

Only for a demo or a development machine: `demo_logins` prints the password on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from xinjian.accounts.models import EnterpriseUser, StaffProfile
from xinjian.core import audit
from xinjian.core.roles import Role
from xinjian.inspections import actions as inspections
from xinjian.inspections.models import Inspector
from xinjian.registry.models import Department, Enterprise, Office

from .places import Places, demo_places
from .world import DEMO_ACTOR

DEMO_PASSWORD = "xinjian-demo-2026"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role_label: str  # shown in the table
    full_name: str
    # Where the person works: a place of `places.Places` ("province", "city", "county",
    # "county2", "other_county"), resolved to a division code by `logins()`; None: not
    # staff (enterprise user, administrator).
    division: str | None
    roles: tuple[str, ...] = ()
    office: str | None = None
    can: str = ""  # {county}, {city}, … : the places' names
    look: str = ""  # path under the site URL; {enterprise} is the demo enterprise's USCC


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "demo_province",
        "省局信用监管人员",
        "陈省信",
        "province",
        (Role.CREDIT_OFFICER,),
        "credit",
        "全省企业查询、重点领域清单与导出、名单与信用修复",
        "staff/enterprises/key-areas/",
    ),
    DemoLogin(
        "demo_nanshan",
        "区局信用监管人员（{county}）",
        "林南山",
        "county",
        (Role.CREDIT_OFFICER,),
        "credit",
        "仅{county}企业：查询、标注、名单（打开演示企业页面；其他区企业为404）",
        "staff/enterprises/{enterprise}/",
    ),
    DemoLogin(
        "demo_food",
        "食品生产监管人员（{city}）",
        "黄食安",
        "city",
        (Role.FOOD_SUPERVISOR,),
        "food",
        "{city}食品生产企业、抽查计划与任务",
        "staff/enterprises/key-areas/?type=food_production",
    ),
    DemoLogin(
        "demo_tezhong",
        "特种设备监管人员（{city}）",
        "张特检",
        "city",
        (Role.SPECIAL_EQUIPMENT_SUPERVISOR,),
        "special_equipment",
        "{city}特种设备生产、充装单位与检查",
        "staff/enterprises/key-areas/?type=special_equipment_production",
    ),
    DemoLogin(
        "demo_inspector1",
        "执法检查人员（{county}）",
        "李检一",
        "county",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（食品）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector2",
        "执法检查人员（{county}）",
        "王检二",
        "county",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（食品）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector3",
        "执法检查人员（{county}）",
        "吴检三",
        "county",
        (Role.INSPECTOR,),
        "special_equipment",
        "录入检查结果（特种设备）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector4",
        "执法检查人员（{county2}）",
        "刘检四",
        "county2",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（{county2}）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector5",
        "执法检查人员（{county2}）",
        "周检五",
        "county2",
        (Role.INSPECTOR,),
        "special_equipment",
        "录入检查结果（{county2}）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector6",
        "执法检查人员（{other_county}）",
        "郑检六",
        "other_county",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（{other_county}）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector7",
        "执法检查人员（{other_county}）",
        "何检七",
        "other_county",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（{other_county}）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_enforcement",
        "执法办案人员（{county}）",
        "罗执法",
        "county",
        (Role.ENFORCEMENT_OFFICER,),
        "enforcement",
        "处罚与名单决定的录入、提请列入",
        "staff/lists/",
    ),
    DemoLogin(
        "demo_approver",
        "审批负责人（{city}）",
        "梁审批",
        "city",
        (Role.APPROVER,),
        "credit",
        "签批{city}及下辖区的决定",
        "staff/",
    ),
    DemoLogin(
        "demo_enterprise",
        "企业用户",
        "企业经办人",
        None,
        (),
        None,
        "查看本企业信息、作出承诺、申请信用修复",
        "staff/",
    ),
    DemoLogin(
        "demo_association",
        "行业协会商会用户",
        "协会秘书处",
        None,
        (),
        None,
        "查看会员企业的公示信息，接收会员名单变动推送（{association}）",
        "association/",
    ),
    DemoLogin(
        "demo_admin",
        "系统管理员",
        "系统管理员",
        None,
        (),
        None,
        "全部功能；规则、参考数据与后台管理",
        "admin/",
    ),
)


def association_name(places: Places) -> str:
    """The demo industry association (深圳市南山区食品行业协会 in Guangdong)."""
    return f"{places.county_full}食品行业协会"


def logins(places: Places | None = None) -> tuple[DemoLogin, ...]:
    """The demo logins of the demo's province: places as division codes, labels with the
    places' names (issue 15: the demo works for whichever province is configured)."""
    places = places or demo_places()
    names = {
        "city": places.name(places.city),
        "county": places.name(places.county),
        "county2": places.name(places.county2),
        "other_county": places.name(places.other_county),
        "association": association_name(places),
    }

    def division(place: str | None) -> str | None:
        if place == "province" and settings.XINJIAN_PROVINCE == "000000":
            return "000000"  # on the national hub the top login is SAMR's
        return getattr(places, place) if place else None

    return tuple(
        DemoLogin(
            login.username,
            login.role_label.format(**names),
            login.full_name,
            division(login.division),
            login.roles,
            login.office,
            login.can.format(**names),
            login.look,
        )
        for login in LOGINS
    )


def _directory_entry(user: User, dept: Department, login: DemoLogin) -> None:
    """A demo inspector's login is the directory person the draws assign (issue 14)."""

    quals = sorted({login.office or "general", "general"})
    entry = Inspector.objects.filter(user=user).first()
    if entry is None:
        inspections.add_inspector(
            actor=DEMO_ACTOR,
            department=dept,
            name=login.full_name,
            badge_no=f"{dept.division_id}DEMO{login.username[-1]}",
            qualifications=quals,
            user=user,
        )
    elif entry.department_id != dept.pk or set(entry.qualifications) != set(quals) or not entry.active:
        entry.department, entry.qualifications, entry.active = dept, quals, True
        entry.save()


def demo_enterprise() -> Enterprise | None:
    """The enterprise the demo enterprise user acts for: the first demo food producer in
    the demo county (any demo enterprise there if none)."""
    qs = Enterprise.objects.filter(source="demo", region_code=demo_places().county).order_by("id")
    return (
        qs.filter(licences__licence_type="food_production", status="operating").first()
        or qs.first()
        or Enterprise.objects.filter(source="demo").order_by("id").first()
    )


@transaction.atomic
def ensure_demo_users() -> list[DemoLogin]:
    """Create (or reset) every demo login. The password hash is computed once: hashing is
    slow on purpose and every demo user shares the password."""
    password = make_password(DEMO_PASSWORD)
    company = demo_enterprise()
    made = []
    for login in logins():
        dept = None
        if login.division:
            dept = Department.objects.filter(division_id=login.division).first()
            if dept is None:
                continue
        user, _ = User.objects.get_or_create(username=login.username)
        user.password = password
        user.first_name = login.full_name
        user.is_active = True
        if login.username == "demo_admin":
            user.is_staff = user.is_superuser = True
        user.save()
        if dept is not None:
            office = (
                Office.objects.filter(department=dept, kind=login.office).first() if login.office else None
            )
            StaffProfile.objects.update_or_create(
                user=user,
                defaults={"department": dept, "office": office, "roles": list(login.roles), "active": True},
            )
            if Role.INSPECTOR in login.roles:
                _directory_entry(user, dept, login)
        elif login.username == "demo_enterprise":
            if company is None:
                continue
            EnterpriseUser.objects.update_or_create(user=user, defaults={"enterprise": company})
        made.append(login)
    audit.record(
        "demo.users_reset",
        actor=DEMO_ACTOR,
        object_type="auth.user",
        object_id="demo_*",
        after={"users": [m.username for m in made]},
        reason="演示账号",
    )
    return made
