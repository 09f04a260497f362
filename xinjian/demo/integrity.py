"""Demo of the integrity section (seed 十四), one function called after the demo users
exist: two published 诚信建设 articles and one awaiting approval, and an industry
association of demo-county food producers with its login (`demo_association`), a push
subscription and one list change of a member already pushed to it.

Idempotent: a second run changes nothing. The receiver address is illustrative (no
association system runs in a demo), so the pushes wait and retry; the association's
page shows them as they are queued."""

from __future__ import annotations

from django.contrib.auth.models import User

from xinjian.core.actors import CLOCK
from xinjian.integrity import actions
from xinjian.integrity.models import Article, AssociationUser, IndustryAssociation
from xinjian.lists import actions as lists
from xinjian.registry.models import Enterprise
from xinjian.sharing.push import fanout

from .places import demo_places
from .users import association_name

ENDPOINT = "https://push.nanshan-food-association.example/xinjian"

ARTICLES = [
    (
        "article",
        "守信激励：信用良好企业可享受“无事不扰”",
        "信用风险分类为A类的企业，抽查比例和频次依法降低。",
        "市场监管部门依据企业信用风险分类实施差异化监管。对信用风险低的企业，合理降低抽查比例和频次，"
        "除投诉举报、转办交办等情形外不主动实施现场检查，做到“无事不扰”。\n\n"
        "企业应按时报送年度报告、如实公示信息、依法履行承诺，持续保持良好信用。",
    ),
    (
        "policy",
        "政策解读：严重违法失信名单的列入与移出",
        "列入严重违法失信名单前须告知当事人，当事人享有陈述、申辩和听证的权利。",
        "根据《市场监督管理严重违法失信名单管理办法》，市场监管部门拟将当事人列入严重违法失信名单的，"
        "应当告知拟列入的事由、依据和当事人依法享有的权利。列入满一年且符合条件的，当事人可以申请提前移出。"
        "\n\n咨询电话：0755-12345678（工作日）。",
    ),
]
PENDING = (
    "article",
    "诚信经营从按时年报做起",
    "每年1月1日至6月30日报送上一年度年度报告。",
    "企业未按期报送年度报告的，将被列入经营异常名录。补报后可以申请移出。",
)


def demo_integrity() -> None:
    writer = User.objects.filter(username="demo_province").first()
    approver = User.objects.filter(username="demo_nanshan").first()
    if writer is None or approver is None:
        return
    places = demo_places()
    county_code, association_title = places.county, association_name(places)
    if not Article.objects.exists():
        for kind, title, summary, body in ARTICLES:
            a = actions.save_article(
                None,
                actor=writer,
                kind=kind,
                title=title,
                summary=summary,
                body=body,
                region_code=places.province,
            )
            actions.move_article(a, "submit", actor=writer)
            actions.move_article(a, "publish", actor=approver)
        kind, title, summary, body = PENDING
        a = actions.save_article(
            None, actor=approver, kind=kind, title=title, summary=summary, body=body, region_code=county_code
        )
        actions.move_article(a, "submit", actor=approver)

    if IndustryAssociation.objects.filter(name=association_title).exists():
        association = IndustryAssociation.objects.get(name=association_title)
        login = User.objects.filter(username="demo_association").first()
        if login is not None:  # the demo users were reset: keep the login linked
            AssociationUser.objects.update_or_create(user=login, defaults={"association": association})
        return
    association = actions.save_association(
        None, actor=approver, name=association_title, region_code=county_code, contact="协会秘书处"
    )
    # Food producers of the demo county first, then other operating enterprises there.
    county = Enterprise.objects.filter(source="demo", region_code=county_code, status="operating")
    food = list(county.filter(licences__licence_type="food_production").distinct().order_by("id")[:6])
    members = food + list(county.exclude(pk__in=[e.pk for e in food]).order_by("id")[: 6 - len(food)])
    for e in members:
        actions.add_member(association, e, actor=approver)
    login = User.objects.filter(username="demo_association").first()
    if login is not None:
        AssociationUser.objects.update_or_create(user=login, defaults={"association": association})
    actions.subscribe_association(association, actor=approver, endpoint=ENDPOINT)
    if members:
        # One list change of a member, so the association's push page has something.

        member = members[-1]
        if not member.anomaly_listings.filter(status="listed").exists():
            lists.list_anomaly(
                member,
                actor=CLOCK,
                ground="unreachable",
                decision_no=f"{places.short}市监异〔演示〕1号",
                facts="通过登记的住所无法联系",
            )
        fanout()
