"""The red/black list (红黑榜): the best and worst unit on each of the five hotline indicators."""

from __future__ import annotations

from dataclasses import dataclass

from reports.selectors.figures import METRICS, Figure, Line, Metric

# A unit with fewer work orders behind an indicator than this is left off the red/black list for it.
HONOURS_MIN_VOLUME = 20


@dataclass(frozen=True)
class Honour:
    """One indicator's red list (best) and black list (worst), among units with enough work orders behind it."""

    metric: Metric
    best: list[tuple[str, Figure]]
    worst: list[tuple[str, Figure]]
    eligible: int


def honours_rank(lines: list[Line], min_volume: int) -> list[Honour]:
    """Best and worst unit on each of the five indicators separately, never one combined ranking.

    Only units with at least `min_volume` work orders behind the indicator take part; ties share a place;
    an indicator where fewer than two units take part, or all have the same rate, names nobody.
    """
    honours = []
    for metric in METRICS:
        if not metric.is_hotline_indicator:
            continue
        taking_part = [
            (line.name, line.figure(metric.key))
            for line in lines
            if (line.figure(metric.key).denominator or 0) >= min_volume
        ]
        best, worst = [], []
        if len(taking_part) >= 2:
            # ties compared on exact fractions (a/b == c/d <=> a*d == c*b), not on rounded floats
            values = [(f.numerator, f.denominator) for _, f in taking_part]
            top = max(values, key=lambda v: v[0] / v[1])
            bottom = min(values, key=lambda v: v[0] / v[1])
            if top[0] * bottom[1] != bottom[0] * top[1]:
                best = [item for item in taking_part if item[1].numerator * top[1] == top[0] * item[1].denominator]
                worst = [
                    item for item in taking_part if item[1].numerator * bottom[1] == bottom[0] * item[1].denominator
                ]
                best.sort(key=lambda item: item[0])
                worst.sort(key=lambda item: item[0])
                if not metric.higher_is_better:
                    best, worst = worst, best
        honours.append(Honour(metric=metric, best=best, worst=worst, eligible=len(taking_part)))
    return honours
