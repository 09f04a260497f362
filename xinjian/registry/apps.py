from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "xinjian.registry"
    label = "registry"
