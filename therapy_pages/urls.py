from django.urls import path

from therapy_pages import views

app_name = "therapy_pages"

urlpatterns = [
    path("", views.search, name="search"),
]
