app_name = "advocacy"

urlpatterns: list = []
