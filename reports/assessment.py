"""The annual assessment of units (年度考核): each unit's score from a year's figures (reports.periods) and the
year's scheme (reports.models.AssessmentScheme), with a line per item saying how it came about.

- An indicator (a rate): the rate in per cent rounded to one decimal × its weight / 100, rounded to the hundredth:
  "按时办结率 96.2% × 20 = 19.24". A unit with nothing behind the indicator that year (no denominator) gets
  the full weight, and its line says so.
- A deduction: the count × the points per item: "退回重办 7 × −0.5 = −3.5".
- A bonus item: its points as the administrator entered them.
- The score is the sum of the lines (each already rounded to the hundredth). Units are listed by score,
  every line kept visible: no unit is judged on one raw number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from reports.periods import PERIOD_METRICS_BY_KEY, PeriodFigures

CENT = Decimal("0.01")
MINUS = "\u2212"
# what can be deducted per item: the count that costs points, and its label
DEDUCTIONS = {
    "returns": pgettext_lazy("assessment item", "Returns for redo"),
    "unsatisfied": pgettext_lazy("assessment item", "Unsatisfied callbacks"),
    "overdue": pgettext_lazy("assessment item", "Overdue work orders"),
    "objections_rejected": pgettext_lazy("assessment item", "Rejected dispatch objections"),
}
WEIGHTED = [key for key, metric in PERIOD_METRICS_BY_KEY.items() if metric.is_rate]


def _number(value) -> Decimal:
    return Decimal(str(value))


def _shown(value: Decimal) -> str:
    text = f"{abs(value):.2f}".rstrip("0").rstrip(".")
    return (MINUS if value < 0 else "") + text


def scheme_errors(weights, deductions) -> dict[str, str]:
    """What is wrong with a scheme's weights and deductions, by field (empty: nothing)."""
    errors = {}
    if not isinstance(weights, dict) or any(key not in WEIGHTED for key in weights):
        errors["weights"] = _("Weights are {indicator: points} for the rates: %(keys)s.") % {
            "keys": ", ".join(WEIGHTED)
        }
    if not isinstance(deductions, dict) or any(key not in DEDUCTIONS for key in deductions):
        keys = ", ".join(DEDUCTIONS)
        errors["deductions"] = _("Points per item are {item: points} for: %(keys)s.") % {"keys": keys}
    for name, table in (("weights", weights), ("deductions", deductions)):
        if name in errors:
            continue
        try:
            [_number(value) for value in table.values() if not isinstance(value, bool)]
            if any(isinstance(value, bool) or not isinstance(value, int | float | str) for value in table.values()):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors[name] = _("Every value must be a number.")
    return errors


@dataclass
class Item:
    label: str
    text: str
    points: Decimal


@dataclass
class Score:
    unit_id: int
    name: str
    items: list[Item] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        return sum((item.points for item in self.items), Decimal("0.00"))


def scheme_snapshot(scheme) -> dict:
    """The scheme as kept with a result: weights, deductions and bonus items (unit id, label, points)."""
    return {
        "weights": {key: str(_number(value)) for key, value in (scheme.weights or {}).items()},
        "deductions": {key: str(_number(value)) for key, value in (scheme.deductions or {}).items()},
        "bonuses": [
            {"unit": bonus.unit_id, "label": bonus.label, "points": str(bonus.points)}
            for bonus in scheme.bonuses.order_by("unit_id", "id")
        ],
    }


def assessment_scores(figures: PeriodFigures, snapshot: dict) -> list[Score]:
    """Each unit's score for the year's figures under the scheme (scheme_snapshot), highest first (ties by
    the figures' unit order)."""
    # in the order of the metrics and of DEDUCTIONS (a kept JSON object's key order is the database's)
    given_weights, given_deductions = snapshot.get("weights", {}), snapshot.get("deductions", {})
    weights = {key: _number(given_weights[key]) for key in WEIGHTED if key in given_weights}
    deductions = {key: _number(given_deductions[key]) for key in DEDUCTIONS if key in given_deductions}
    scores = []
    for line in figures.lines:
        score = Score(unit_id=line.unit_id, name=line.name)
        for key, weight in weights.items():
            figure = line.figure(key)
            label = str(figure.metric.label)
            if not figure.denominator:
                score.items.append(
                    Item(
                        label,
                        _("%(label)s: nothing to count this year, full %(weight)s")
                        % {"label": label, "weight": _shown(weight)},
                        weight.quantize(CENT),
                    )
                )
                continue
            percent = (Decimal(figure.numerator) * 100 / Decimal(figure.denominator)).quantize(
                Decimal("0.1"), ROUND_HALF_UP
            )
            points = (percent * weight / 100).quantize(CENT, ROUND_HALF_UP)
            score.items.append(Item(label, f"{label} {percent}% × {_shown(weight)} = {_shown(points)}", points))
        for key, each in deductions.items():
            count = _objections_rejected(line) if key == "objections_rejected" else line.figure(key).numerator
            points = (Decimal(count) * each).quantize(CENT, ROUND_HALF_UP)
            label = str(DEDUCTIONS[key])
            score.items.append(Item(label, f"{label} {count} × {_shown(each)} = {_shown(points)}", points))
        for bonus in snapshot.get("bonuses", []):
            if bonus["unit"] == line.unit_id:
                points = _number(bonus["points"]).quantize(CENT, ROUND_HALF_UP)
                score.items.append(Item(bonus["label"], f"{bonus['label']} {_shown(points)}", points))
        scores.append(score)
    order = {score.unit_id: n for n, score in enumerate(scores)}
    scores.sort(key=lambda s: (-s.score, order[s.unit_id]))
    return scores


def _objections_rejected(line) -> int:
    """Rejected dispatch objections of the unit in the year (decided in it): reports.periods' figure."""
    return line.figure("objections_rejected").numerator


def scores_data(scores: list[Score]) -> list[dict]:
    """The scores as kept in AssessmentResult.lines."""
    return [
        {
            "unit": score.unit_id,
            "name": score.name,
            "score": str(score.score),
            "items": [{"label": i.label, "text": i.text, "points": str(i.points)} for i in score.items],
        }
        for score in scores
    ]


@dataclass
class Assessment:
    """What the assessment page shows: the year, the scheme, the lines (kept or as of now) and who kept them."""

    year: int
    scheme: dict
    lines: list[dict]
    is_kept: bool
    computed_at: object = None
    computed_by: str = ""


def assessment_current(user, year: int, *, now) -> Assessment:
    """The year's kept assessment, or the scores as of now when none is kept; a unit leader sees only their own
    unit's line (readers of the whole bureau every unit)."""
    from org.rules import is_unit_leader
    from reports.models import AssessmentResult
    from reports.rules import reads_whole_bureau
    from reports.services import assessment_compute

    bureau_id = user.unit.bureau_id
    kept = AssessmentResult.objects.filter(bureau_id=bureau_id, year=year).select_related("computed_by").first()
    if kept is not None:
        by = kept.computed_by
        result = Assessment(
            year, kept.scheme, kept.lines, True, kept.computed_at, by.get_full_name() or by.username if by else ""
        )
    else:
        snapshot, scores = assessment_compute(bureau_id, year, now=now)
        result = Assessment(year, snapshot, scores_data(scores), False, now)
    if not reads_whole_bureau(user):
        result.lines = [line for line in result.lines if is_unit_leader(user) and line["unit"] == user.unit_id]
    return result
