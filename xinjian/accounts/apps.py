from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xinjian.accounts"
    label = "accounts"
