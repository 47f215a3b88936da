"""The bare app's two pages, at the same paths as AgentDash's, so one list of URLs drives both."""

from django.urls import path

from . import views

urlpatterns = [
    path("d/<slug:collection>/<str:kind>/<str:slug>/", views.detail),
    path("search/", views.search),
]
