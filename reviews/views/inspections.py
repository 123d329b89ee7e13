"""Pages of special inspections (专项督查): campaigns, drawing the sample, findings, scores."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reviews import selectors, services
from reviews.forms import CampaignForm, FindingsForm, ScoreForm
from reviews.views.base import ReviewListView, bureau_of, report_error


class CampaignListView(ReviewListView):
    permission_required = "reviews.view_campaigns"
    template_name = "reviews/campaigns.html"
    context_object_name = "campaigns"

    def get_queryset(self):
        return selectors.campaigns_for_user(self.request.user)


def _campaign_to_manage(request, pk):
    """A campaign its manager changes: 403 without the permission, 404 for another bureau's."""
    if not request.user.has_perm("reviews.manage_campaigns"):
        raise PermissionDenied
    return selectors.campaign_get_for_user(request.user, pk)


@login_required
def campaign_create(request):
    if not request.user.has_perm("reviews.manage_campaigns"):
        raise PermissionDenied
    bureau = bureau_of(request.user)
    form = CampaignForm(request.POST or None, bureau=bureau)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                bureau=bureau,
                actor=request.user,
                name=data["name"],
                finding=data["finding"],
                outcome=data["outcome"],
                kind=data["kind"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                seed=data["seed"],
                quotas=form.quotas(),
            )
        except ValidationError as error:
            report_error(request, error)
        else:
            return redirect(reverse("reviews:campaign", args=[campaign.pk]))
    return render(request, "reviews/campaign_form.html", {"form": form})


@login_required
def campaign_detail(request, pk):
    if not request.user.has_perm("reviews.view_campaigns"):
        raise PermissionDenied
    campaign = selectors.campaign_get_for_user(request.user, pk)
    samples = list(selectors.samples_for_user(request.user, campaign))
    return render(
        request,
        "reviews/campaign.html",
        {
            "campaign": campaign,
            "samples": samples,
            "summary": selectors.campaign_summary(campaign),
            "quotas": list(campaign.quotas.select_related("unit")),
            "can_manage": request.user.has_perm("reviews.manage_campaigns"),
            "findings_form": FindingsForm(initial={"findings": campaign.findings}),
            "key_points": list(campaign.key_points.all()),
        },
    )


@login_required
@require_POST
def campaign_draw(request, pk):
    campaign = _campaign_to_manage(request, pk)
    try:
        samples = services.campaign_draw_sample(campaign, actor=request.user)
    except ValidationError as error:
        report_error(request, error)
    else:
        messages.success(request, _("Sample drawn: %(count)d work orders.") % {"count": len(samples)})
    return redirect(reverse("reviews:campaign", args=[campaign.pk]))


@login_required
@require_POST
def campaign_findings(request, pk):
    campaign = _campaign_to_manage(request, pk)
    form = FindingsForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        points = []
        if data["key_point_title"] and data["key_point_body"]:
            points.append(
                {
                    "title": data["key_point_title"],
                    "body": data["key_point_body"],
                    "category": data["key_point_category"],
                    "kind": data["key_point_kind"],
                }
            )
        services.campaign_record_findings(campaign, actor=request.user, findings=data["findings"], key_points=points)
        messages.success(request, _("Saved."))
    else:
        messages.error(request, _("Write the findings."))
    return redirect(reverse("reviews:campaign", args=[campaign.pk]))


@login_required
@require_POST
def sample_score(request, pk):
    sample = selectors.sample_get_for_user(request.user, pk)
    form = ScoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a score from 0 to 100."))
        return redirect(reverse("reviews:campaign", args=[sample.campaign_id]))
    if not request.user.has_perm("reviews.score_sample", (sample, form.cleaned_data["stage"])):
        raise PermissionDenied
    services.sample_score(sample, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Score saved."))
    return redirect(reverse("reviews:campaign", args=[sample.campaign_id]))
