from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("upload/", views.upload, name="upload"),
    path("batches/<uuid:batch_id>/", views.batch_detail, name="batch"),
    path("batches/<uuid:batch_id>/preview/", views.preview, name="preview"),
    path("batches/<uuid:batch_id>/confirm/", views.confirm, name="confirm"),
    path("batches/<uuid:batch_id>/rejects.xlsx", views.rejects_download, name="rejects"),
    path("templates/", views.templates, name="templates"),
    path("templates/<str:kind>.xlsx", views.template_download, name="template"),
    path("items/", views.items, name="items"),
    path("federation/", views.peers, name="peers"),
    path("records/<str:model>/<int:pk>/archive/", views.archive, name="archive"),
]
