from django.urls import URLPattern, URLResolver, path

from civgrid.safety import campaign_views, interview_views, views

app_name = "safety"
urlpatterns: list[URLPattern | URLResolver] = [
    path("checklists/", views.checklist, name="checklist"),
    path("checklists/<int:pk>/", views.checklist, name="checklist_edition"),
    path("checklists/<int:pk>/current/", views.make_current, name="make_current"),
    path("checklists/import/", views.import_view, name="import"),
    path("checklists/import/template.xlsx", views.import_template, name="import_template"),
]

urlpatterns += [
    path("campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", campaign_views.campaign, name="campaign"),
    path("campaigns/<int:pk>/groups/", campaign_views.add_group, name="add_group"),
    path("campaigns/<int:pk>/divide/", campaign_views.divide, name="divide"),
    path(
        "campaigns/<int:pk>/hazards/<int:hazard_pk>/dispatch/",
        campaign_views.dispatch_hazard,
        name="dispatch",
    ),
    path("my/", campaign_views.my_checks, name="my_checks"),
    path("check/<int:pk>/", campaign_views.check, name="check"),
    path("escalation/", interview_views.escalation_list, name="escalation"),
    path("enterprises/<int:pk>/interview/", interview_views.interview, name="interview"),
    path("interviews/<int:pk>/record/", interview_views.interview_record, name="interview_record"),
]
