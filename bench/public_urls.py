"""The project's URLs plus the bare baseline view for bench_public."""

from django.http import JsonResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from xinjian.core.access import public


@public
def constant(request):  # type: ignore[no-untyped-def]
    return JsonResponse({"ok": True, "name": "baseline"})


urlpatterns = [path("bench/constant", constant)] + project_urlpatterns
