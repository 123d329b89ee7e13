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
from reviews.choices import ScoreStage
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


def score_stages(user, sample, campaign) -> list[tuple[str, str]]:
    """The stages this user may score this sample at (reviews.score_sample): only those are offered."""
    sample.campaign = campaign  # the rule reads the campaign's bureau: the page's own, no query per sample
    return [
        (stage, label) for stage, label in ScoreStage.choices if user.has_perm("reviews.score_sample", (sample, stage))
    ]


def _campaign_page(request, campaign, *, status: int = 200, posted: dict | None = None):
    """The campaign page; `posted` (sample id, stage, score, comment, error) puts a refused score back in its form."""
    samples = list(selectors.samples_for_user(request.user, campaign))
    for sample in samples:
        sample.score_stages = score_stages(request.user, sample, campaign)
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
            "posted": posted or {},
        },
        status=status,
    )


@login_required
def campaign_detail(request, pk):
    if not request.user.has_perm("reviews.view_campaigns"):
        raise PermissionDenied
    return _campaign_page(request, selectors.campaign_get_for_user(request.user, pk))


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
    """A score; a refused one (out of range, a stage this user does not score) is shown again with what was typed
    and why, on the campaign page (400 or 403), never lost on a bare refusal page."""
    sample = selectors.sample_get_for_user(request.user, pk)
    form = ScoreForm(request.POST)
    posted = {
        "sample": sample.pk,
        "stage": request.POST.get("stage", ""),
        "score": request.POST.get("score", "")[:10],
        "comment": request.POST.get("comment", "")[:5000],
    }
    if not form.is_valid():
        posted["error"] = _("Give a score from 0 to 100.")
        return _campaign_page(request, sample.campaign, status=400, posted=posted)
    if not request.user.has_perm("reviews.score_sample", (sample, form.cleaned_data["stage"])):
        posted["error"] = _(
            "You may not give this score: a unit scores its own sample (self-assessment) or the "
            "sample it checks as peer; the section gives the section check."
        )
        return _campaign_page(request, sample.campaign, status=403, posted=posted)
    services.sample_score(sample, actor=request.user, **form.cleaned_data)
    messages.success(request, _("Score saved."))
    return redirect(reverse("reviews:campaign", args=[sample.campaign_id]))
