from django.urls import path

from . import public_views

app_name = "lists_public"
urlpatterns = [
    path("", public_views.exposure, name="exposure"),
    path("anomaly/", public_views.anomaly, name="anomaly"),
    path("serious/", public_views.serious, name="serious"),
    path("cases/", public_views.cases, name="cases"),
    path("cases/<int:pk>/", public_views.case, name="case"),
]
