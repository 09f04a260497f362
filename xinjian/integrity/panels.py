"""What the integrity section adds to the staff workbench (core.workbench): the articles
awaiting someone's approval — never the person's own (four eyes)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from xinjian.core.actors import as_actor
from xinjian.core.workbench import Queue, queue_from, todo

from .actions import ARTICLES
from .models import Article, ArticleStatus


@todo.register("integrity.articles", order=65)
def articles_to_approve(request: HttpRequest, user: Any) -> Queue | None:
    if not ARTICLES.may(user, "publish"):
        return None
    qs = (
        Article.objects.visible_to(user)
        .filter(status=ArticleStatus.PENDING)
        .exclude(written_by=as_actor(user).label)
        .order_by("pk")
    )
    return queue_from(
        qs,
        label=gettext("审核发布诚信建设文章"),
        subject=lambda a: a.title,
        url=lambda a: reverse("integrity:article", args=[a.pk]),
        more_url=reverse("integrity:articles"),
    )
