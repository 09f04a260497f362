"""Credit reports on the public portal, mounted at /public/reports/ (docs/adr/0066)."""

from django.urls import path

from . import report_views

app_name = "reports"
urlpatterns = [
    path("verify/", report_views.verify_page, name="verify"),
    path("issue/<str:uscc>/", report_views.issue, name="issue"),
    path("<str:number>/", report_views.report_page, name="report"),
    path("<str:number>/pdf/", report_views.report_pdf_view, name="pdf"),
]
