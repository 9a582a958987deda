"""TSA URLs are checked when added, and one bad TSA never stops the others (issue 9)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hourproof.services import anchoring, tracking
from hourproof.services.errors import ServiceError
from hourproof.services.startup import open_home
from hourproof.store.anchors import AnchorTables
from tests.support.tsa import TestTsa


@pytest.fixture
def app(home):
    opened = open_home(home)
    yield opened
    opened.close()


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://" + "a" * 300 + "/", "no valid host"),
        ("ftp://tsa.example/", "http:// or https://"),
        ("http:///tsr", "no valid host"),
        ("http://tsa.example:99999/", "not a URL"),
        ("http://tsa example/", "spaces"),
        ("https://tsa.example/" + "x" * 2100, "at most 2048"),
        ("", "http:// or https://"),
    ],
)
def test_bad_tsa_urls_are_refused_when_added(app, url, why):
    with pytest.raises(ServiceError, match=why):
        anchoring.add_tsa(app, "bad", url, None)
    assert anchoring.list_tsas(app) == []


def test_good_tsa_urls_are_accepted(app):
    anchoring.add_tsa(app, "local", "http://127.0.0.1:8080/tsr", None)
    anchoring.add_tsa(app, "named", "https://timestamp.example.com/", None)
    assert [t.name for t in anchoring.list_tsas(app)] == ["local", "named"]


def test_one_malformed_tsa_does_not_stop_the_others(app):
    with app.write() as txn:  # as an older hourproof could have stored it
        AnchorTables(txn.db).add_tsa("broken", "http://" + "a" * 300 + "/", None)
    with TestTsa(mode="ok") as tsa:
        anchoring.add_tsa(app, "good", tsa.url, tsa.root_pem)
        now = app.clock()
        tracking.add(app, "a", now - timedelta(hours=1), now)
        result = anchoring.anchor_now(app, timeout=60.0)
    assert result.tsa == "good"
