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

from .generator import ANCHOR_COUNTY
from .world import DEMO_ACTOR

DEMO_PASSWORD = "xinjian-demo-2026"
# The county the county officer, inspectors and the enterprise user work in.
DEMO_COUNTY = ANCHOR_COUNTY


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role_label: str  # shown in the table
    full_name: str
    division: str | None  # None: not staff (enterprise user, administrator)
    roles: tuple[str, ...] = ()
    office: str | None = None
    can: str = ""
    look: str = ""  # path under the site URL; {enterprise} is the demo enterprise's USCC


LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "demo_province",
        "省局信用监管人员",
        "陈省信",
        "440000",
        (Role.CREDIT_OFFICER,),
        "credit",
        "全省企业查询、重点领域清单与导出、名单与信用修复",
        "staff/enterprises/key-areas/",
    ),
    DemoLogin(
        "demo_nanshan",
        "区局信用监管人员（南山区）",
        "林南山",
        DEMO_COUNTY,
        (Role.CREDIT_OFFICER,),
        "credit",
        "仅南山区企业：查询、标注、名单（打开演示企业页面；其他区企业为404）",
        "staff/enterprises/{enterprise}/",
    ),
    DemoLogin(
        "demo_food",
        "食品生产监管人员（深圳市）",
        "黄食安",
        "440300",
        (Role.FOOD_SUPERVISOR,),
        "food",
        "深圳市食品生产企业、抽查计划与任务",
        "staff/enterprises/key-areas/?type=food_production",
    ),
    DemoLogin(
        "demo_tezhong",
        "特种设备监管人员（深圳市）",
        "张特检",
        "440300",
        (Role.SPECIAL_EQUIPMENT_SUPERVISOR,),
        "special_equipment",
        "深圳市特种设备生产、充装单位与检查",
        "staff/enterprises/key-areas/?type=special_equipment_production",
    ),
    DemoLogin(
        "demo_inspector1",
        "执法检查人员（南山区）",
        "李检一",
        DEMO_COUNTY,
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（食品）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector2",
        "执法检查人员（南山区）",
        "王检二",
        DEMO_COUNTY,
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（食品）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector3",
        "执法检查人员（南山区）",
        "吴检三",
        DEMO_COUNTY,
        (Role.INSPECTOR,),
        "special_equipment",
        "录入检查结果（特种设备）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector4",
        "执法检查人员（宝安区）",
        "刘检四",
        "440306",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（宝安区）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector5",
        "执法检查人员（宝安区）",
        "周检五",
        "440306",
        (Role.INSPECTOR,),
        "special_equipment",
        "录入检查结果（宝安区）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector6",
        "执法检查人员（越秀区）",
        "郑检六",
        "440104",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（越秀区）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_inspector7",
        "执法检查人员（越秀区）",
        "何检七",
        "440104",
        (Role.INSPECTOR,),
        "food",
        "录入检查结果（越秀区）",
        "staff/inspections/",
    ),
    DemoLogin(
        "demo_enforcement",
        "执法办案人员（南山区）",
        "罗执法",
        DEMO_COUNTY,
        (Role.ENFORCEMENT_OFFICER,),
        "enforcement",
        "处罚与名单决定的录入、提请列入",
        "staff/lists/",
    ),
    DemoLogin(
        "demo_approver",
        "审批负责人（深圳市）",
        "梁审批",
        "440300",
        (Role.APPROVER,),
        "credit",
        "签批深圳市及下辖区的决定",
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
        "查看会员企业的公示信息，接收会员名单变动推送（南山区食品行业协会）",
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
    qs = Enterprise.objects.filter(source="demo", region_code=DEMO_COUNTY).order_by("id")
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
    for login in LOGINS:
        dept = None
        if login.division:
            # The logins are Guangdong's; in another territory the province-level one
            # works for the configured province and the others are left out (issue 15).
            division = settings.XINJIAN_PROVINCE if login.division == "440000" else login.division
            dept = Department.objects.filter(division_id=division).first()
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
