import pytest

from crawler.urls import canonical_url


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        (
            "http://m.VnExpress.net/amp/phap-luat/vu-an-123.html?utm_source=fb#binh-luan",
            "https://vnexpress.net/phap-luat/vu-an-123.html",
        ),
        ("https://www.tuoitre.vn/abc-2024.htm?id=5&utm_medium=rss&fbclid=x", "https://tuoitre.vn/abc-2024.htm?id=5"),
        ("https://amp.thanhnien.vn/x-185.html", "https://thanhnien.vn/x-185.html"),
        ("https://dantri.com.vn/phap-luat/bai.amp.html", "https://dantri.com.vn/phap-luat/bai.html"),
        ("https://vnexpress.net/gl/ban-doc/2012/12/bai-viet/", "https://vnexpress.net/gl/ban-doc/2012/12/bai-viet"),
        ("https://thads.moj.gov.vn/a.aspx?ItemID=12&b=1", "https://thads.moj.gov.vn/a.aspx?ItemID=12&b=1"),
        ("http://127.0.0.1:8765/bai/1.html?utm_source=rss", "http://127.0.0.1:8765/bai/1.html"),
    ],
)
def test_canonical_url(raw: str, canonical: str) -> None:
    assert canonical_url(raw) == canonical
    assert canonical_url(canonical) == canonical
