"""A double-submitted publication publishes an article once and reports
`integrity.article_published` once."""

from __future__ import annotations

from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success
from xinjian.integrity import actions
from xinjian.integrity.models import Article

pytestmark = concurrent


def test_a_double_submitted_publication_is_taken_once(writer, approver):
    a = actions.save_article(
        None, actor=writer, kind="article", title="倡议书", body="正文", region_code="440305"
    )
    actions.move_article(a, "submit", actor=writer)

    out = double_submit(
        lambda: Article.objects.get(pk=a.pk),
        lambda art: actions.move_article(art, "publish", actor=approver),
    )

    one_success(out)
    assert Event.objects.filter(type="integrity.article_published", data__article_id=a.pk).count() == 1
    assert [h.action for h in Article.objects.get(pk=a.pk).history.all()] == ["write", "submit", "publish"]
