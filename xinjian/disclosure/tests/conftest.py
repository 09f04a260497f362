"""Builders for disclosure tests: penalties, inspections, commitments, complaints."""

from __future__ import annotations

import itertools

import pytest

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Profiles and rule versions are cached in-process: start each test cold."""
    from django.core.cache import caches

    from xinjian.disclosure import rules

    caches["default"].clear()
    rules.invalidate()
    yield
    caches["default"].clear()
    rules.invalidate()


@pytest.fixture
def penalty_factory(db):
    """A light fine in force (tests/factories.py)."""
    from tests.factories import PenaltyFactory

    return lambda enterprise, **fields: PenaltyFactory(enterprise=enterprise, **fields)


@pytest.fixture
def inspection_factory(db):
    from tests.factories import InspectionFactory

    return lambda enterprise, **fields: InspectionFactory(enterprise=enterprise, **fields)


@pytest.fixture
def complaint_factory(db):
    from tests.factories import ComplaintFactory

    return lambda enterprise, **fields: ComplaintFactory(enterprise=enterprise, **fields)
