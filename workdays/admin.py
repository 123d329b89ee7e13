from django.contrib import admin

from workdays import calendar
from workdays.models import CalendarDay, CalendarSource, CalendarYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name", "source")
    list_filter = ("is_working_day", "source")
    date_hierarchy = "date"
    search_fields = ("name",)
    readonly_fields = ("source",)

    def save_model(self, request, obj, form, change):
        from workdays.services import calendar_set_day

        calendar_set_day(obj.date, is_working_day=obj.is_working_day, name=obj.name)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar.invalidate()


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source", "loaded_at")
    readonly_fields = ("loaded_at",)

    def save_model(self, request, obj, form, change):
        if not obj.source:
            obj.source = CalendarSource.ADMIN
        super().save_model(request, obj, form, change)
        calendar.invalidate()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        calendar.invalidate()
