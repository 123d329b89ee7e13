import io

import pytest

from core.downloads import download_safe_name, download_safe_type, file_download


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("现场照片.png", "现场照片.png"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\report.pdf", "report.pdf"),
        ('a"b;c\r\nSet-Cookie: x.pdf', "a_b_c__Set-Cookie_ x.pdf"),
        ("...", "file"),
        ("", "file"),
        ("x" * 300 + ".docx", "x" * 195 + ".docx"),
    ],
)
def test_download_safe_name_keeps_no_path_quote_or_control_character(name, expected):
    assert download_safe_name(name) == expected


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("image/png", "image/png"),
        ("application/pdf", "application/pdf"),
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/xhtml+xml", "application/octet-stream"),
        ("text/plain", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("", "application/octet-stream"),
    ],
)
def test_download_safe_type_never_lets_a_browser_render_markup_or_script(content_type, expected):
    assert download_safe_type(content_type) == expected


def test_file_download_is_an_attachment_sandboxed_unsniffed_and_uncached():
    response = file_download(io.BytesIO(b"<svg onload=alert(1)>"), filename="x.svg", content_type="image/svg+xml")

    assert {
        name: response[name]
        for name in ("Content-Type", "Content-Disposition", "Content-Security-Policy", "X-Content-Type-Options")
    } == {
        "Content-Type": "application/octet-stream",
        "Content-Disposition": 'attachment; filename="x.svg"',
        "Content-Security-Policy": "default-src 'none'; sandbox",
        "X-Content-Type-Options": "nosniff",
    }
    assert (response["Cache-Control"], response["Pragma"]) == ("private, no-store", "no-cache")
