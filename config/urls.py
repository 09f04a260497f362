from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView
from django.views.i18n import set_language

from config.api import api
from xinjian.core import views as core_views
from xinjian.core import workflow_views
from xinjian.core.access import public
from xinjian.repair import lookup as repair_lookup

admin.site.site_header = "信监 · 系统管理"
admin.site.site_title = "信监"

urlpatterns = [
    path("", core_views.landing, name="landing"),
    # Browsers and crawlers ask for /favicon.ico whatever the page links (it was a 404).
    path("favicon.ico", public(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
    path("staff/", core_views.dashboard, name="home"),
    path("staff/calendar/", core_views.calendar_page, name="calendar"),
    path("staff/workflow/<str:workflow>/<int:pk>/<slug:action>/", workflow_views.take, name="workflow_take"),
    path("accounts/", include("xinjian.accounts.urls")),
    path("staff/accounts/", include("xinjian.accounts.staff_urls")),
    path("staff/enterprises/", include("xinjian.registry.urls")),
    path("staff/collection/", include("xinjian.collection.urls")),
    path("staff/risk/", include("xinjian.risk.urls")),
    path("staff/inspections/", include("xinjian.inspections.urls")),
    path("staff/lists/", include("xinjian.lists.urls")),
    path("staff/commitments/", include("xinjian.commitments.urls")),
    path("staff/repair/", include("xinjian.repair.urls")),
    path("staff/sharing/", include("xinjian.sharing.urls")),
    path("staff/integrity/", include("xinjian.integrity.urls")),
    path("public/lists/", include("xinjian.lists.public_urls")),
    path("public/inspections/", include("xinjian.inspections.public_urls")),
    path("public/integrity/", include("xinjian.integrity.public_urls")),
    path("association/", include("xinjian.integrity.association_urls")),
    path("public/my/", core_views.my_home, name="my_home"),
    path("public/my/commitments/", include("xinjian.commitments.enterprise_urls")),
    path("public/reports/", include("xinjian.sharing.public_urls")),
    path("public/my/repair/", include("xinjian.repair.public_urls")),
    path("public/repair/progress/", repair_lookup.lookup, name="repair_lookup"),
    path("public/", include("xinjian.disclosure.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()

# The site's own error pages, in the user's language with the navigation (issue 14).
handler400 = "xinjian.core.error_views.bad_request"
handler403 = "xinjian.core.error_views.permission_denied"
handler404 = "xinjian.core.error_views.page_not_found"
handler500 = "xinjian.core.error_views.server_error"
