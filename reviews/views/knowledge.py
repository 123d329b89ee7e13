"""Pages of the knowledge base: key points and training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from reviews import selectors, services
from reviews.forms import KeyPointForm, TrainingForm
from reviews.views.base import PAGE_SIZE, bureau_of, report_error


@login_required
def key_points(request):
    if not request.user.has_perm("reviews.view_key_points"):
        raise PermissionDenied
    can_manage = request.user.has_perm("reviews.manage_key_points")
    form = KeyPointForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            services.key_point_create(bureau=bureau_of(request.user), actor=request.user, **form.cleaned_data)
            messages.success(request, _("Saved."))
            return redirect(reverse("reviews:key_points"))
    points = list(selectors.key_points_for_user(request.user))
    return render(request, "reviews/key_points.html", {"points": points, "form": form, "can_manage": can_manage})


@login_required
def training(request):
    if not request.user.has_perm("reviews.view_training"):
        raise PermissionDenied
    can_manage = request.user.has_perm("reviews.manage_training")
    bureau = bureau_of(request.user)
    form = TrainingForm(request.POST or None, bureau=bureau)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.training_create(bureau=bureau, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                report_error(request, error)
            else:
                messages.success(request, _("Saved."))
                return redirect(reverse("reviews:training"))
    return render(
        request,
        "reviews/training.html",
        {
            "sessions": list(selectors.training_sessions_for_user(request.user)[:PAGE_SIZE]),
            "person_times": selectors.training_person_times(request.user),
            "form": form,
            "can_manage": can_manage,
        },
    )
