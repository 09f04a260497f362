"""Issue 14: 400/403/404/500 and a refused form are the site's own pages, in the user's
language, with the navigation — on the public portal too. The API keeps its error shape."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory

from xinjian.core import error_views

pytestmark = pytest.mark.django_db


def _looks_like_ours(body: str) -> None:
    assert 'class="topbar"' in body  # the site's layout, with its navigation
    assert "/public/" in body and "error-page" in body
    assert "Not Found" not in body and "Forbidden" not in body and "<h1>Server Error" not in body


def test_a_missing_public_page_is_our_404_in_chinese(client):
    r = client.get("/public/no-such-page/")
    assert r.status_code == 404
    body = r.content.decode()
    _looks_like_ours(body)
    assert "页面不存在" in body and 'lang="zh-CN"' in body


def test_the_404_follows_the_chosen_language(client):
    client.cookies["django_language"] = "en"
    body = client.get("/public/no-such-page/").content.decode()
    assert "Page not found" in body and 'lang="en"' in body


def test_an_enterprise_user_on_a_staff_page_gets_our_403_saying_why(client, enterprise_user):
    client.force_login(enterprise_user)
    r = client.get("/staff/")
    assert r.status_code == 403
    body = r.content.decode()
    _looks_like_ours(body)
    assert "无权访问" in body and "仅限市场监管部门工作人员" in body
    assert "公示信息与情况说明" in body  # the enterprise's own navigation is there


def test_staff_without_the_permission_get_our_403(client, staff_factory):
    client.force_login(staff_factory("440305", ["inspector"]))
    r = client.get("/staff/sharing/")
    assert r.status_code == 403
    body = r.content.decode()
    _looks_like_ours(body)
    assert "没有执行此操作的权限" in body and "工作台" in body


def test_a_server_error_is_our_500():
    request = RequestFactory().get("/public/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    r = error_views.server_error(request)
    assert r.status_code == 500
    body = r.content.decode()
    assert "系统出错" in body and 'class="topbar"' in body


def test_a_refused_form_is_our_csrf_page():
    c = Client(enforce_csrf_checks=True)
    r = c.post("/accounts/login/", {"username": "x", "password": "y"})
    assert r.status_code == 403
    body = r.content.decode()
    _looks_like_ours(body)
    assert "表单已失效" in body and "CSRF verification failed" not in body


def test_the_api_keeps_its_error_shape_on_an_unknown_path(client):
    r = client.get("/api/v1/no-such-endpoint")
    assert r.status_code == 404
    assert "error" in r.json() or "detail" in r.json()
