from django.urls import path

from xinjian.core.workflow_views import take

from . import views

app_name = "lists"
urlpatterns = [
    path("", views.index, name="index"),
    path("anomaly/", views.anomaly_list, name="anomaly_list"),
    path("anomaly/new/", views.anomaly_new, name="anomaly_new"),
    path("anomaly/<int:pk>/", views.anomaly_detail, name="anomaly_detail"),
    path("publication-orders/", views.publication_orders, name="publication_orders"),
    path(
        "publication-orders/<int:pk>/fulfil/", views.publication_order_fulfil, name="publication_order_fulfil"
    ),
    path("serious/", views.serious_list, name="serious_list"),
    path("serious/propose/", views.serious_propose, name="serious_propose"),
    path("serious/<int:pk>/", views.serious_detail, name="serious_detail"),
    path("serious/<int:pk>/notice/", views.serious_notice, name="serious_notice"),
    path("serious/<int:pk>/action/", views.serious_action, name="serious_action"),
    path("serious/<int:pk>/hearing-notice/", views.serious_hearing_notice, name="serious_hearing_notice"),
    path("serious/<int:pk>/decision/", views.serious_decision_document, name="serious_decision_document"),
    path("rules/", views.rules_page, name="rules"),
    path("rules/batch-decisions/", views.batch_decision_new, name="batch_decision_new"),
    path("cases/", views.cases, name="cases"),
    path("cases/new/", views.case_edit, name="case_new"),
    path("cases/<int:pk>/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/action/", take, {"workflow": "lists.case"}, name="case_action"),
]
