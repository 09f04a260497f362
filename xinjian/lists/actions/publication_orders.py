"""Orders to publish within a time limit (责令限期公示, Disclosure Regulation art. 10) and
the ground-(2) anomaly listing that follows only once such an order has lapsed (Anomaly
Measures art. 4 (2))."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition
from xinjian.core.events import EventType, emit
from xinjian.core.workdays import today
from xinjian.registry.models import Enterprise

from .. import rules
from ..models import AnomalyListing, PublicationOrder
from ._base import A
from .anomaly import list_anomaly


@transaction.atomic
def order_publication(
    enterprise: Enterprise, *, actor: Any, on: dt.date, inspection: Any = None
) -> PublicationOrder:
    """Order the enterprise to publish the information a check found unpublished, within
    the rule's time limit (Disclosure Regulation art. 10). No listing yet: Anomaly
    Measures art. 4 (2) lists only for not publishing within the ordered limit."""
    r = rules.rules_on(on, enterprise.region_code)
    order = PublicationOrder(
        enterprise=enterprise, inspection=inspection, ordered_on=on, time_limit_days=r.publication_order_days
    )
    order.touch(as_actor(actor).label)
    order.save()
    audit.record(
        "lists.publication_order", order, actor=actor, uscc=enterprise.uscc, after=audit.snapshot(order)
    )
    emit(
        EventType.PUBLICATION_ORDERED,
        uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        data={"order": order.pk, "ordered_on": on.isoformat(), "time_limit_days": order.time_limit_days},
    )
    return order


@transaction.atomic
def fulfil_publication_order(
    order: PublicationOrder, *, actor: Any, on: dt.date | None = None
) -> PublicationOrder:
    """The enterprise published the information. Within the limit this ends the matter;
    after a listing, removal follows the listing's own path (INFO_PUBLISHED)."""
    on = on or today()
    order = PublicationOrder.objects.select_for_update().get(pk=order.pk)
    if order.fulfilled_on is not None:
        raise InvalidTransition(gettext("已登记履行公示"), code="already_fulfilled")
    if on < order.ordered_on:
        raise DomainError(gettext("履行日期不能早于责令日期"), code="date_order")
    before = audit.snapshot(order)
    order.fulfilled_on = on
    order.touch(as_actor(actor).label)
    order.save()
    audit.record(
        "lists.publication_order_fulfilled",
        order,
        actor=actor,
        uscc=order.enterprise.uscc,
        before=before,
        after=audit.snapshot(order),
    )
    emit(
        EventType.PUBLICATION_ORDER_FULFILLED,
        uscc=order.enterprise.uscc,
        region_code=order.enterprise.region_code,
        data={"order": order.pk, "fulfilled_on": on.isoformat()},
    )
    return order


@transaction.atomic
def list_for_lapsed_order(order: PublicationOrder, *, actor: Any, on: dt.date) -> AnomalyListing | None:
    """The ordered time limit passed without publication: propose the ground-(2) listing
    (a draft to approve), discovered the day after the limit's last day."""
    order = PublicationOrder.objects.select_for_update().select_related("enterprise").get(pk=order.pk)
    if order.listing_id is not None or not order.lapsed(on):
        return None
    if AnomalyListing.objects.filter(
        enterprise=order.enterprise, ground="unpublished_info", status__in=[A.DRAFT, A.LISTED]
    ).exists():
        return None
    due = order.due_on()
    listing = list_anomaly(
        order.enterprise,
        actor=actor,
        ground="unpublished_info",
        on=on,
        draft=True,
        inspection=order.inspection,
        proposed_on=due + dt.timedelta(days=1),
        facts=gettext("%(ordered)s责令限期%(days)s日内公示有关信息，至%(due)s仍未公示")
        % {"ordered": order.ordered_on, "days": order.time_limit_days, "due": due},
    )
    order.listing = listing
    order.save(update_fields=["listing"])
    return listing
