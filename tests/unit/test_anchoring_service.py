"""Anchoring through the service layer: queue, backoff, drain, nothing lost offline."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import pytest

from hourproof.services import anchoring, startup, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.startup import open_home
from tests.support.apps import loopback_tsas, opened, use_tsa, wall_clock


@pytest.fixture
def clock():
    return wall_clock()


@pytest.fixture
def app(home, clock):
    with opened(home, clock) as app:
        yield app


@pytest.fixture
def tsa():
    with loopback_tsas("ok") as (server,):
        yield server


def test_defaults_are_not_installed_when_disabled(app):
    assert anchoring.list_tsas(app) == []


def test_default_tsas_are_configured_on_a_new_home(tmp_path, monkeypatch):
    monkeypatch.delenv("HOURPROOF_DEFAULT_TSAS")
    fresh = open_home(tmp_path / "fresh")
    assert [t.name for t in anchoring.list_tsas(fresh)] == ["DigiCert", "Sectigo", "FreeTSA"]
    fresh.close()


def test_opening_a_home_alone_neither_hooks_anchoring_nor_adds_tsas(tmp_path, monkeypatch):
    """Anchoring is wired by the front ends' start-up (services.startup), not App.open."""
    monkeypatch.delenv("HOURPROOF_DEFAULT_TSAS")
    bare = App.open(tmp_path / "bare")
    assert bare.checkpoint_hooks == [] and anchoring.list_tsas(bare) == []
    tracking.add(
        bare, "a", datetime(2026, 1, 1, 9, tzinfo=UTC), datetime(2026, 1, 1, 10, tzinfo=UTC)
    )
    assert anchoring.queue(bare) == []
    bare.close()
    prepared = open_home(tmp_path / "bare")
    startup.prepare(prepared)  # twice is once
    assert prepared.checkpoint_hooks == [anchoring.enqueue]
    assert [t.name for t in anchoring.list_tsas(prepared)] == ["DigiCert", "Sectigo", "FreeTSA"]
    prepared.close()


def test_anchor_now_stores_a_verified_token(app, tsa, clock):
    use_tsa(app, tsa)
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    result = anchoring.anchor_now(app)
    assert result.tsa == "test" and result.size == 1
    assert anchoring.last_anchor(app)[2] == 1
    assert anchoring.queue(app) == []


def test_leaves_after_an_anchor_cite_it(app, tsa, clock):
    use_tsa(app, tsa)
    tracking.add(app, "a", clock.now - timedelta(hours=2), clock.now - timedelta(hours=1))
    anchoring.anchor_now(app)
    entry = tracking.add(app, "b", clock.now - timedelta(hours=1), clock.now)
    _, versions = tracking.history(app, entry.id)
    assert versions[0].leaf["after_anchor"] is not None
    assert len(versions[0].leaf["after_anchor"]) == 64


@pytest.mark.parametrize(
    "mode", ["down", "http500", "garbage", "reject", "wrong_nonce", "wrong_imprint", "no_eku",
             "untrusted"],
)  # fmt: skip
def test_failures_are_queued_with_backoff_and_lose_nothing(app, tsa, clock, mode):
    use_tsa(app, tsa)
    tsa.mode = mode
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    assert anchoring.drain(app, timeout=60.0) == 0
    (item,) = anchoring.queue(app)
    assert item.attempts == 1 and item.last_error
    assert item.next_try > clock.now.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert len(tracking.entries(app)) == 1
    # not due yet: nothing is sent
    seen = len(tsa.requests_seen)
    anchoring.drain(app, timeout=60.0)
    assert len(tsa.requests_seen) == seen
    # the TSA comes back, time passes: the queue drains
    tsa.mode = "ok"
    clock.now += timedelta(minutes=5)
    assert anchoring.drain(app, timeout=60.0) == 1
    assert anchoring.queue(app) == []


def test_slow_tsa_times_out(app, tsa, clock):
    use_tsa(app, tsa)
    tsa.slow_seconds = 3600  # never answers while the test runs: any timeout fires
    tsa.mode = "slow"
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    with pytest.raises(ServiceError, match="anchoring failed"):
        anchoring.anchor_now(app, timeout=0.5)


def test_backoff_grows_exponentially(app, tsa, clock):
    use_tsa(app, tsa)
    tsa.mode = "http500"
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    waits = []
    for _ in range(3):
        anchoring.drain(app, timeout=60.0, force=True)
        (item,) = anchoring.queue(app)
        waits.append(datetime.strptime(item.next_try, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
                     - clock.now)  # fmt: skip
    assert waits[0] < waits[1] < waits[2]


def test_new_checkpoints_coalesce_into_one_pending_request(app, clock):
    tracking.add(app, "a", clock.now - timedelta(hours=2), clock.now - timedelta(hours=1))
    tracking.add(app, "b", clock.now - timedelta(hours=1), clock.now)
    (item,) = anchoring.queue(app)
    assert item.size == 2


def test_stale_warning_after_24_hours(app, clock):
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    assert not anchoring.is_stale(app)
    clock.now += timedelta(hours=25)
    assert anchoring.is_stale(app)


def test_tsa_configuration_errors(app, tmp_path):
    with pytest.raises(ServiceError, match="http"):
        anchoring.add_tsa(app, "x", "ftp://example", None)
    with pytest.raises(ServiceError, match="PEM"):
        anchoring.add_tsa(app, "x", "http://127.0.0.1:1/", b"not a cert")
    with pytest.raises(ServiceError, match="no TSA named"):
        anchoring.remove_tsa(app, "nope")


def test_token_passes_openssl_ts_verify(app, tsa, clock, tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    use_tsa(app, tsa)
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    anchoring.anchor_now(app)
    with app.read() as conn:
        note, token = conn.exec_driver_sql(
            "SELECT c.note, a.token FROM anchors a JOIN checkpoints c ON c.size = a.size"
        ).one()
    (tmp_path / "cp").write_bytes(note.encode())
    (tmp_path / "t.tsr").write_bytes(token)
    (tmp_path / "root.pem").write_bytes(tsa.root_pem)
    (tmp_path / "chain.pem").write_bytes(b"")
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-data", str(tmp_path / "cp"), "-in", str(tmp_path / "t.tsr"),
         "-CAfile", str(tmp_path / "root.pem")], capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_after_an_outage_the_queue_drains_and_the_bundle_shows_the_lag(home, tsa, tmp_path):
    from hourproof.proof.model import RECORDED_BY
    from hourproof.services.export import ExportRequest, export_bundle
    from hourproof.services.verifying import VerifyRequest, verify

    app = open_home(home)
    use_tsa(app, tsa)
    tsa.mode = "down"
    now = datetime.now(UTC).replace(microsecond=0)
    details = tracking.Details(client="acme")
    tracking.add(app, "web", now - timedelta(days=3, hours=2), now - timedelta(days=3), details)
    tracking.add(app, "web", now - timedelta(hours=2), now - timedelta(hours=1), details)
    assert anchoring.drain(app, timeout=60.0) == 0
    assert anchoring.queue(app)[0].attempts == 1  # recorded, nothing lost
    tsa.mode = "ok"
    assert anchoring.drain(app, timeout=60.0, force=True) == 1
    out = tmp_path / "acme.hproof"
    export_bundle(app, ExportRequest("acme", now - timedelta(days=5), now + timedelta(days=1),
                                     out, reports=False, anchor_first=False))  # fmt: skip
    root = tmp_path / "root.pem"
    root.write_bytes(tsa.root_pem)
    result = verify(None, VerifyRequest(out, tsa_roots=(root,)))
    assert result.ok, result.failure
    old, recent = result.statement.entries
    assert old.label == recent.label == RECORDED_BY
    assert old.lag_seconds >= 3 * 86400 and old.late
    assert 3600 <= recent.lag_seconds < 86400 and not recent.late
    app.close()


def test_the_worker_keeps_a_token_in_hand_while_the_database_is_busy(app, tsa, clock, monkeypatch):
    """The drain never drops a token it was given because another process writes."""
    import sqlite3

    use_tsa(app, tsa)
    tracking.add(app, "a", clock.now - timedelta(hours=1), clock.now)
    real = anchoring._store_token
    refusals = iter([True, True, False])

    def busy_then_ok(*args):
        if next(refusals):
            raise sqlite3.OperationalError("database is locked")
        real(*args)

    monkeypatch.setattr(anchoring, "_store_token", busy_then_ok)
    monkeypatch.setattr("time.sleep", lambda _s: None)
    assert anchoring.drain(app, timeout=60.0) == 1
    assert anchoring.last_anchor(app)[2] == 1 and anchoring.queue(app) == []
