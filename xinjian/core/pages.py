"""Small helpers shared by staff and public pages."""

from django.http import HttpRequest


def query_without_page(request: HttpRequest) -> str:
    """The current query string without `page`, for pager links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
