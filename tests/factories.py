"""Rows for tests, built one way (factory_boy): the register, licences, penalties,
inspections and complaints. App fixtures (`penalty_factory` in lists, repair and disclosure
tests) differ only by the trait they ask for, so a new field is added here once.

    PenaltyFactory(enterprise=e)               a light fine, in force (disclosure's default)
    PenaltyFactory(enterprise=e, heavy=True)   a food-safety licence revocation (lists)
    PenaltyFactory(enterprise=e, quality=True) a fulfilled product-quality fine (repair)
"""

from __future__ import annotations

import datetime as dt
import itertools

import factory
from factory.django import DjangoModelFactory

from xinjian.collection.models import Complaint, Inspection, Licence, Penalty
from xinjian.registry.identifiers import build_uscc
from xinjian.registry.models import Enterprise

# One counter for every generated identifier, so a USCC made here never repeats one made
# by `make_uscc` in the same test.
serial = itertools.count(1)


def make_uscc(region_code: str = "440305") -> str:
    return build_uscc(region_code, f"MA{next(serial):06d}")


class EnterpriseFactory(DjangoModelFactory):
    class Meta:
        model = Enterprise

    region_code = "440305"
    uscc = factory.LazyAttribute(lambda o: make_uscc(o.region_code))
    name = factory.LazyFunction(lambda: f"深圳市测试食品有限公司{next(serial)}")
    legal_representative = "张三"
    established_on = dt.date(2015, 3, 1)
    status = "operating"
    source = "test"


class _AboutEnterprise(DjangoModelFactory):
    """A record about `enterprise`, keyed by the enterprise's USCC."""

    class Meta:
        abstract = True

    uscc = factory.SelfAttribute("enterprise.uscc")
    source = "test"


class LicenceFactory(_AboutEnterprise):
    class Meta:
        model = Licence

    source_id = factory.Sequence(lambda n: f"L-{n + 1}")
    licence_type = "food_production"
    licence_no = factory.Sequence(lambda n: f"SC1014403{n + 1:07d}")
    issued_by = "深圳市市场监督管理局"
    issued_on = dt.date(2022, 1, 1)
    valid_until = dt.date(2027, 1, 1)
    status = "valid"


class PenaltyFactory(_AboutEnterprise):
    class Meta:
        model = Penalty

    source_id = factory.Sequence(lambda n: f"P-{n + 1}")
    decision_no = factory.Sequence(lambda n: f"深市监罚〔2025〕{n + 1}号")
    decided_on = dt.date(2025, 1, 6)
    decided_by = "深圳市市场监督管理局"
    domain = "food_safety"
    violation = "生产经营不符合食品安全标准的食品"
    penalty_types = factory.LazyFunction(lambda: ["fine"])
    fine_amount = 50000
    status = "in_force"

    class Params:
        # Order 44 art. 2: a heavier penalty in the food-safety domain (serious-list ground).
        heavy = factory.Trait(
            source="case-system",
            decision_no=factory.Sequence(lambda n: f"深南市监罚〔2026〕{n + 1}号"),
            decided_on=dt.date(2026, 3, 2),
            decided_by="深圳市南山区市场监督管理局",
            violation="生产经营超范围使用食品添加剂的食品",
            penalty_types=["fine", "licence_revocation"],
            fine_amount=200000,
            legal_basis="《食品安全法》第一百二十四条",
        )
        # A product-quality fine with confiscation, fulfilled: what credit repair starts from.
        quality = factory.Trait(
            source="case-system",
            decision_no=factory.Sequence(lambda n: f"深南市监罚〔2025〕{n + 1}号"),
            decided_on=dt.date(2025, 1, 10),
            decided_by="深圳市南山区市场监督管理局",
            domain="product_quality",
            violation="生产不符合标准的产品",
            penalty_types=["fine", "confiscation"],
            fulfilled_on=dt.date(2025, 2, 1),
            legal_basis="《产品质量法》第四十九条",
        )


class InspectionFactory(_AboutEnterprise):
    class Meta:
        model = Inspection

    source_id = factory.Sequence(lambda n: f"I-{n + 1}")
    inspected_on = dt.date(2025, 3, 3)
    inspected_by = "南山区市场监督管理局"
    kind = "random"
    result = "corrected"


class ComplaintFactory(_AboutEnterprise):
    class Meta:
        model = Complaint

    source_id = factory.Sequence(lambda n: f"C-{n + 1}")
    received_on = dt.date(2025, 2, 1)
    category = "食品质量"
    substantiated = True
