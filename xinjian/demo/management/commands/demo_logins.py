"""`manage.py demo_logins [--url URL]`: the demo logins as a table."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand

from xinjian.demo.first_steps import first_step
from xinjian.demo.users import DEMO_PASSWORD, LOGINS, demo_enterprise, logins


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


class Command(BaseCommand):
    help = "打印演示账号：角色、用户名、密码、可做什么、从哪里进入"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="站点地址")

    def handle(self, *args: Any, url: str, **options: Any) -> None:
        base = url if url.endswith("/") else url + "/"
        users = {
            u.username: u
            for u in User.objects.filter(username__in=[x.username for x in LOGINS]).select_related(
                "enterprise_user__enterprise"
            )
        }
        if not users:
            self.stdout.write(
                self.style.WARNING("尚无演示账号：请先运行 python manage.py demo --enterprises 3000")
            )
            return
        company = demo_enterprise()
        rows = [("角色", "用户名", "密码", "可以做什么", "入口")]
        firsts: list[tuple[str, str]] = [("", "")]
        for login in logins():
            user = users.get(login.username)
            if user is None:
                continue
            can = login.can
            link = getattr(user, "enterprise_user", None)
            if link is not None:
                can = f"{can}（{link.enterprise.name}，{link.enterprise.uscc}）"
            look = "public/my/" if link is not None else login.look
            if "{enterprise}" in look:
                look = look.format(enterprise=company.uscc) if company else look.split("{enterprise}")[0]
            rows.append((login.role_label, login.username, DEMO_PASSWORD, can, base + look))
            firsts.append(first_step(user))
        widths = [max(_width(r[i]) for r in rows) for i in range(4)]
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}，仅用于演示环境）：")
        for i, row in enumerate(rows):
            self.stdout.write("  ".join(_pad(v, widths[j]) if j < 4 else v for j, v in enumerate(row)))
            if i > 0:
                what, path = firsts[i]
                self.stdout.write(f"    先试试：{what} → {base}{path}")
            if i == 0:
                self.stdout.write("-" * (sum(widths) + 8 + 30))
        self.stdout.write(f"登录页：{base}accounts/login/")
