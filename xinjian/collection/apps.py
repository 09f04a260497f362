from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "xinjian.collection"
    label = "collection"
    verbose_name = "归集"

    def ready(self) -> None:
        from . import clocks  # noqa: F401  (registers the clocks)
