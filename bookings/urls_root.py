"""Pages outside any association: secret-token iCal feeds."""

from django.urls import URLPattern, URLResolver, path

from bookings.views import feeds

app_name = "feeds"

urlpatterns: list[URLPattern | URLResolver] = [
    path("feeds/member/<str:token>.ics", feeds.member_feed, name="member"),
    path("feeds/vehicle/<str:token>.ics", feeds.vehicle_feed, name="vehicle"),
]
