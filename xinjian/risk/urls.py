from django.urls import path

from . import views, views_artefact

app_name = "risk"
urlpatterns = [
    path("", views.models_index, name="models"),
    path("rescore/", views.rescore, name="rescore"),
    path("models/<str:code>/", views.model_detail, name="model"),
    path("models/<str:code>/draft/", views.draft, name="draft"),
    path("models/<str:code>/rollback/", views.rollback, name="rollback"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/change/", views.change_version, name="change_version"),
    path("versions/<int:pk>/export/", views_artefact.export_version, name="export_version"),
    path("import/", views_artefact.import_model, name="import_model"),
]
