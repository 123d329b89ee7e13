"""The monthly briefing (《每月简报》), one module per topic; the public names are re-exported here.

months (calendar months in Shanghai time), counting (the aggregates, and how each figure is counted),
kept (the counts as stored in MonthlyCounts), figures (metrics, figures, lines), honours (the red/black
list), briefing (the briefing for one reader and its CSV table).
"""

from reports.selectors.briefing import Briefing, Business, briefing_for_user, briefing_table
from reports.selectors.counting import TOP_BUSINESSES, monthly_counts, top_businesses
from reports.selectors.figures import METRICS, METRICS_BY_KEY, Figure, Line, Metric
from reports.selectors.honours import HONOURS_MIN_VOLUME, Honour, honours_rank
from reports.selectors.kept import counts_decode, counts_encode
from reports.selectors.months import EARLIEST_YEAR, Month, month_default, month_parse, month_with_data

__all__ = [
    "EARLIEST_YEAR",
    "HONOURS_MIN_VOLUME",
    "METRICS",
    "METRICS_BY_KEY",
    "TOP_BUSINESSES",
    "Briefing",
    "Business",
    "Figure",
    "Honour",
    "Line",
    "Metric",
    "Month",
    "briefing_for_user",
    "briefing_table",
    "counts_decode",
    "counts_encode",
    "honours_rank",
    "month_default",
    "month_with_data",
    "month_parse",
    "monthly_counts",
    "top_businesses",
]
