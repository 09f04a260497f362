"""Staff pages, mounted at /staff/integrity/: the 诚信建设 editor and industry associations."""

from django.urls import path

from xinjian.core.workflow_views import take

from . import views

app_name = "integrity"
urlpatterns = [
    path("", views.articles, name="articles"),
    path("new/", views.article_edit, name="article_new"),
    path("<int:pk>/", views.article_edit, name="article"),
    path("<int:pk>/<slug:action>/", take, {"workflow": "integrity.article"}, name="article_action"),
    path("associations/", views.associations, name="associations"),
    path("associations/<int:pk>/", views.association, name="association"),
]
