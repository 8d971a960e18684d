from django.urls import path

from enquiries import views

app_name = "enquiries"

urlpatterns = [
    path("send/", views.enquiry_send, name="send"),
    path("thanks/", views.enquiry_thanks, name="thanks"),
]
