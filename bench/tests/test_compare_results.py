from bench.compare_results import figures, table

OLD = """## Pages and API

| figure | clients | p50 ms | p95 ms | req/s | SQL/req | target | met? |
|---|---|---|---|---|---|---|---|
| Ticket page | 1 | 24.4 | 36.4 | 38.4 | 10 | p50 < 10 | missed |
| Gone page | 1 | 5.0 | 6.0 | 100.0 | 2 | - | - |

## Escalation sweep

| figure | wall time | target | met? | detail |
|---|---|---|---|---|
| Catch-up | 6.33 s | < 10 s | met | x |
"""

NEW = """## Pages and API

| figure | clients | p50 ms | p95 ms | req/s | SQL/req | target | met? |
|---|---|---|---|---|---|---|---|
| Ticket page | 1 | 12.2 | 20.0 | 70.0 | 10 | p50 < 10 | missed |
| New page | 4 | 1,200.5 | 1,300.0 | 3.0 | 5 | - | - |

## Escalation sweep

| figure | wall time | target | met? | detail |
|---|---|---|---|---|
| Catch-up | 5.8 ms | < 10 s | met | x |
"""


def test_figures_reads_both_tables_in_milliseconds():
    read = figures(OLD)

    assert read[("Ticket page", "1")] == {"p50": 24.4, "p95": 36.4, "rps": 38.4}
    assert read[("Catch-up", "")]["p50"] == 6330.0


def test_table_pairs_figures_by_label_and_shows_the_ratio_and_the_missing_side():
    lines = table(figures(OLD), figures(NEW)).splitlines()

    assert "| Ticket page | 1 | 24.4 | 12.2 | 0.50 | 36.4 | 20.0 | 38.4 | 70.0 |" in lines
    assert "| Gone page | 1 | 5.0 | - | - | 6.0 | - | 100.0 | - |" in lines
    assert "| New page | 4 | - | 1,200.5 | - | - | 1,300.0 | - | 3.0 |" in lines
    assert "| Catch-up | - | 6,330.0 | 5.8 | 0.00 | - | - | - | - |" in lines
