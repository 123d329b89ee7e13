from django.contrib import admin

from reports.models import AssessmentBonus, AssessmentResult, AssessmentScheme


class AssessmentBonusInline(admin.TabularInline):
    model = AssessmentBonus
    extra = 1


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(admin.ModelAdmin):
    """An administrator sets each year's weights, points per item and bonus items (reports.assessment)."""

    list_display = ("year", "bureau", "updated_at")
    list_filter = ("bureau", "year")
    inlines = [AssessmentBonusInline]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(admin.ModelAdmin):
    """Kept results are read only: they are kept from the assessment page, with the scheme then in force."""

    list_display = ("year", "bureau", "computed_at", "computed_by")
    readonly_fields = ("bureau", "year", "scheme", "lines", "computed_at", "computed_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
