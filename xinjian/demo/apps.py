from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "xinjian.demo"
    label = "demo"
