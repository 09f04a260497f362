from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "xinjian.disclosure"
    label = "disclosure"
