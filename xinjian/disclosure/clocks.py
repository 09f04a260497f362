"""Date-driven disclosure rules for `manage.py run_clocks` (each idempotent per date)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from xinjian.core.clocks import register

from . import search
from .actions import publish_due, withdraw_revoked
from .exports import export_open_data


@register("disclosure.search_index", _("公众查询索引：补充新登记主体、更新更名主体"), order=20)
def search_index(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:

    return 0 if dry_run else search.refresh()


@register("disclosure.withdraw", _("撤下已被撤销的行政处罚公示信息（3个工作日内）"), order=55)
def withdraw(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:

    return withdraw_revoked(on, actor=actor, dry_run=dry_run)


@register("disclosure.publish", _("公示新归集的行政处罚和抽查检查结果（20个工作日内）"), order=60)
def publish(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:

    return publish_due(on, actor=actor, dry_run=dry_run)


@register("disclosure.open_data", _("生成当日开放数据文件（CSV、JSON Lines、数据字典、校验值）"), order=900)
def open_data(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:

    if dry_run:
        return 0
    return len(export_open_data(on, actor=actor))
