"""Charts drawn on the server as SVG (no script, no library, no CDN): they print and work offline.

Each function returns markup to put in a page as it is; every text in it is escaped. Colours and sizes are
SVG attributes (the Content-Security-Policy allows no inline style).
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 16, 40
COLOURS = ("#1d4f91", "#9fb3c8", "#1f7a4d", "#a35c00", "#b42318")


def _nice_top(value: float) -> float:
    """A round upper bound for the axis (1, 2, 2.5, 5 × a power of ten)."""
    if value <= 0:
        return 1
    power = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _frame(title: str, labels: list[str], top: float, unit: str) -> tuple[list[str], float, float]:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        shown = f"{value:g}{unit}"
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dde3ea" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" fill="#52606d">'
            f"{escape(shown)}</text>"
        )
    step = plot_w / max(len(labels), 1)
    for i, label in enumerate(labels):
        x = LEFT + step * (i + 0.5)
        parts.append(
            f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" font-size="11" fill="#52606d">'
            f"{escape(label)}</text>"
        )
    return parts, step, plot_h


def _legend(parts: list[str], names: list[str]) -> None:
    x = LEFT
    for i, name in enumerate(names):
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 16}" width="10" height="10" fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 7}" font-size="11" fill="#1f2933">{escape(name)}</text>'
        )
        x += 14 + 13 * len(name) + 24


def bar_chart(title: str, labels: list[str], series: list[tuple[str, list[float | None]]]) -> Markup:
    """Grouped bars: one group per label, one bar per series (None draws no bar)."""
    values = [v for _name, data in series for v in data if v is not None]
    top = _nice_top(max(values, default=0))
    parts, step, plot_h = _frame(title, labels, top, "")
    width = step * 0.8 / max(len(series), 1)
    for s, (name, data) in enumerate(series):
        for i, value in enumerate(data):
            if value is None:
                continue
            height = plot_h * value / top
            x = LEFT + step * i + step * 0.1 + width * s
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - height:.1f}" width="{width:.1f}" height="{height:.1f}" '
                f'fill="{COLOURS[s % len(COLOURS)]}"><title>{escape(name)} {escape(labels[i])}: {value:g}</title>'
                "</rect>"
            )
    _legend(parts, [name for name, _data in series])
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape(); the rest are numbers)  # nosec B704


def line_chart(
    title: str, labels: list[str], series: list[tuple[str, list[float | None]]], *, unit: str = "%"
) -> Markup:
    """Lines with a dot per point; a None value breaks the line (nothing to divide by that month)."""
    values = [v for _name, data in series for v in data if v is not None]
    top = 100 if unit == "%" else _nice_top(max(values, default=0))
    parts, step, plot_h = _frame(title, labels, top, unit)
    for s, (name, data) in enumerate(series):
        colour = COLOURS[s % len(COLOURS)]
        path, pen_down = [], False
        for i, value in enumerate(data):
            if value is None:
                pen_down = False
                continue
            x, y = LEFT + step * (i + 0.5), TOP + plot_h - plot_h * value / top
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"><title>{escape(name)} '
                f"{escape(labels[i])}: {value:.1f}{escape(unit)}</title></circle>"
            )
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
    _legend(parts, [name for name, _data in series])
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text in it went through escape(); the rest are numbers)  # nosec B704
