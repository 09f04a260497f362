from django.urls import path

from xinjian.core.workflow_views import take

from . import views

app_name = "inspections"
urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    # The task steps go through the one workflow view (the buttons post to it too).
    path("tasks/<int:pk>/<slug:action>/", take, {"workflow": "inspections.task"}, name="task_action"),
    path("draws/<str:draw_id>/assignments/", views.assignments, name="assignments"),
    path("targets/<int:pk>/results/", views.target_results, name="target_results"),
    path("items/", views.items, name="items"),
    path("items/save/", views.item_save, name="item_save"),
    path("inspectors/", views.inspectors, name="inspectors"),
    path("inspectors/new/", views.inspector_add, name="inspector_add"),
    path("inspectors/<int:pk>/", views.inspector_change, name="inspector_change"),
    path("rules/", views.rules, name="rules"),
    path("reports/", views.reports, name="reports"),
    path("results/overdue/", views.overdue, name="overdue"),
]
