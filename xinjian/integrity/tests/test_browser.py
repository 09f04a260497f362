"""Browser journeys: the public 诚信建设 section, and an association that logs in, reads
its members' public records and sees a member's list change arrive by push."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_reads_published_articles_only_with_personal_data_removed(page, staff_factory):
    from xinjian.integrity import actions

    writer = staff_factory("440305", ["credit_officer"], "writer")
    approver = staff_factory("440305", ["credit_officer"], "approver")
    published = actions.save_article(
        None,
        actor=writer,
        kind="policy",
        title="政策解读：经营异常名录的移出",
        summary="补报年报后可申请移出",
        body="企业补报年度报告后可以申请移出。咨询联系人李四海，电话13812345678。",
        region_code="440000",
    )
    actions.move_article(published, "submit", actor=writer)
    actions.move_article(published, "publish", actor=approver)
    pending = actions.save_article(
        None, actor=writer, kind="article", title="待审核的倡议书", body="正文", region_code="440000"
    )
    actions.move_article(pending, "submit", actor=writer)

    page.goto("/public/integrity/")
    articles = page.locator("#articles")
    expect(articles).to_contain_text("政策解读：经营异常名录的移出")
    expect(articles).to_contain_text("政策解读")
    expect(articles).not_to_contain_text("待审核的倡议书")
    page.get_by_role("link", name="政策解读：经营异常名录的移出").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("政策解读：经营异常名录的移出")
    body = page.locator("article")
    expect(body).to_contain_text("企业补报年度报告后可以申请移出")
    expect(body).not_to_contain_text("13812345678")
    expect(body).not_to_contain_text("李四海")


class _Receiver(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(
            {"body": json.loads(body), "signature": self.headers["X-Xinjian-Signature"]}
        )
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    _Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/push", _Receiver.received
    server.shutdown()


def test_an_association_reads_its_members_and_sees_a_list_change_arrive(
    page, staff_factory, enterprise_factory, receiver
):
    from xinjian.core.actors import CLOCK
    from xinjian.integrity import actions
    from xinjian.lists import actions as lists
    from xinjian.sharing.push import deliver_due, fanout

    officer = staff_factory("440305", ["credit_officer"], "officer")
    association = actions.save_association(
        None, actor=officer, name="南山区食品行业协会", region_code="440305"
    )
    member = enterprise_factory(name="会员食品甲公司")
    other = enterprise_factory(name="非会员食品乙公司")
    actions.add_member(association, member, actor=officer)
    actions.add_association_user(association, actor=officer, username="xiehui", password="correct-horse-9")
    endpoint, received = receiver
    _sub, secret = actions.subscribe_association(association, actor=officer, endpoint=endpoint)

    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("xiehui")
    page.get_by_label("密码").fill("correct-horse-9")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/association/")
    members = page.locator("#members")
    expect(members).to_contain_text("会员食品甲公司")
    expect(members).not_to_contain_text("非会员食品乙公司")
    page.get_by_role("link", name="会员食品甲公司").click()
    expect(page.locator("#anomaly")).to_contain_text("无")

    page.get_by_role("link", name="名单变动推送").click()
    expect(page.locator("#pushes")).to_contain_text("暂无推送")

    # The regulator lists the member (and another enterprise) on the anomaly list.
    lists.list_anomaly(member, actor=CLOCK, ground="unreachable", decision_no="深南异〔2026〕7号")
    lists.list_anomaly(other, actor=CLOCK, ground="unreachable", decision_no="深南异〔2026〕8号")
    fanout()
    assert deliver_due()["delivered"] == 1
    (push,) = received
    assert push["body"]["event"]["uscc"] == member.uscc and push["body"]["event"]["type"] == "listing.added"
    from xinjian.sharing.push import sign

    body = json.dumps(push["body"], ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    assert push["signature"] == sign(secret, body)

    page.reload()
    pushes = page.locator("#pushes")
    expect(pushes).to_contain_text("会员食品甲公司")
    expect(pushes).to_contain_text("经营异常名录")
    expect(pushes).to_contain_text("已送达")
    expect(pushes).not_to_contain_text("非会员食品乙公司")
    page.get_by_role("link", name="会员企业").click()
    page.get_by_role("link", name="会员食品甲公司").click()
    expect(page.locator("#anomaly")).to_contain_text("深南异〔2026〕7号")
