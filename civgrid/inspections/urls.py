from django.urls import URLPattern, URLResolver, path

from civgrid.inspections import views

app_name = "inspections"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("new/", views.plan, name="plan"),
    path("mine/", views.mine, name="mine"),
    path("compare/", views.compare, name="compare"),
    path("at-risk/", views.at_risk, name="at_risk"),
    path("findings/", views.findings, name="findings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/scores/", views.score, name="scores"),
    path("<int:pk>/findings.xlsx", views.export, name="export"),
    path("<int:pk>/sites/", views.sites, name="sites"),
    path("<int:pk>/sites/<int:site_pk>/", views.checklist, name="checklist"),
    path("<int:pk>/sites/<int:site_pk>/done/", views.site_done, name="site_done"),
    path(
        "<int:pk>/sites/<int:site_pk>/standards/<int:standard_pk>/",
        views.answer,
        name="answer",
    ),
]
