"""Every page and endpoint declares who may use it."""

from django.urls import URLPattern, URLResolver, get_resolver


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace in ("admin", "api-v1"):
                continue  # Django admin checks staff itself; the API declares auth per operation
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def test_every_page_declares_its_access():
    undeclared = []
    for route, view in _patterns(get_resolver()):
        target = getattr(view, "view_class", None) and view or view
        if not hasattr(target, "access"):
            undeclared.append(route)
    # static and i18n helpers are Django's own
    undeclared = [r for r in undeclared if not r.startswith(("i18n/", "static/"))]
    assert undeclared == []


def test_every_api_operation_declares_auth_or_is_public():
    from config.api import api

    undeclared = []
    for _prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                public = getattr(op.view_func, "public_endpoint", False)
                if not op.auth_callbacks and not public:
                    undeclared.append(f"{op.methods} {path}")
    assert undeclared == []
