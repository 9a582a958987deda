"""Clients and projects added in the app (the local ``catalog`` table): completion,
the client of a first entry, hiding, renaming (local, or one signed amendment per
entry), the overview's hours, and privacy: a local name never reaches another
client's bundle."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hourproof.core import leaves as lk
from hourproof.core.money import Rate
from hourproof.ledger.canonical import parse_canonical
from hourproof.services import clients, tracking
from hourproof.services.app import App
from hourproof.services.errors import ServiceError
from hourproof.services.tracking import Details
from hourproof.store.ledger import LeafTable

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    opened = App.open(tmp_path / "home")
    opened.clock = lambda: NOW
    yield opened
    opened.close()


def _leaves(app: App) -> list[dict[str, object]]:
    with app.read_db() as db:
        table = LeafTable(db)
        found = table.leaves(list(range(table.size())))
    return [parse_canonical(found[seq]) for seq in sorted(found)]


def _hour(app: App, project: str, hours_ago: int, client: str | None = None) -> None:
    end = NOW - timedelta(hours=hours_ago)
    tracking.add(app, project, end - timedelta(hours=1), end, Details(client=client))


def test_an_added_client_and_project_are_offered_before_any_entry(app: App) -> None:
    size = len(_leaves(app))
    clients.add(app, "client", "Globex")
    clients.add(app, "project", "portal", "Initech")  # a new client comes with it
    assert len(_leaves(app)) == size  # nothing signed: a local table
    projects, names = clients.completions(app)
    assert [(p, c) for p, c, _ in projects] == [("portal", "Initech")]
    assert names == ["Globex", "Initech"]
    view = {c.name: c for c in clients.overview(app)}
    assert set(view) == {"Globex", "Initech"} and not view["Globex"].used
    assert [(p.name, p.used) for p in view["Initech"].projects] == [("portal", False)]


def test_a_first_entry_of_an_added_project_gets_its_client(app: App) -> None:
    clients.add(app, "project", "portal", "Initech")
    entry = tracking.start(app, "portal")
    assert entry.client == "Initech"
    tracking.set_rate(app, "project", "portal", Rate(8000, "EUR"))
    rate_leaf = _leaves(app)[-1]
    assert rate_leaf["kind"] == lk.RATE_SET and "chain" in rate_leaf  # in Initech's chain


def test_names_are_checked(app: App) -> None:
    clients.add(app, "client", "Globex")
    _hour(app, "api", 3, "Acme")
    for scope, name in [("client", "Globex"), ("project", "api"), ("client", "Acme")]:
        with pytest.raises(ServiceError, match="exists already"):
            clients.add(app, scope, name)
    for bad in ["", "  ", "two\nlines"]:
        with pytest.raises(ServiceError):
            clients.add(app, "client", bad)
    with pytest.raises(ServiceError, match="not a client name"):
        clients.add(app, "client", "(no client)")
    with pytest.raises(ServiceError, match="client or a project"):
        clients.add(app, "task", "x")


def test_hidden_names_leave_completion_but_not_the_ledger(app: App) -> None:
    _hour(app, "api", 3, "Acme")
    _hour(app, "site", 2, "Beta")
    size = len(_leaves(app))
    clients.set_hidden(app, "client", "Acme", True)
    clients.set_hidden(app, "project", "site", True)
    projects, names = clients.completions(app)
    assert projects == [] and names == ["Beta"]
    assert len(_leaves(app)) == size
    assert len(tracking.entries(app)) == 2
    view = {c.name: c for c in clients.overview(app)}
    assert view["Acme"].hidden and view["Beta"].projects[0].hidden
    clients.add(app, "client", "Acme")  # adding a hidden one shows it again
    clients.set_hidden(app, "project", "site", False)
    projects, names = clients.completions(app)
    assert [p for p, _, _ in projects] == ["api", "site"] and names == ["Acme", "Beta"]


def test_overview_hours_per_client_and_project_in_the_period(app: App) -> None:
    _hour(app, "api", 3, "Acme")
    _hour(app, "api", 5, "Acme")
    _hour(app, "docs", 4, "Acme")
    _hour(app, "loose", 6)
    end = NOW - timedelta(days=40)
    tracking.add(app, "api", end - timedelta(hours=1), end, Details(client="Acme"))
    view = {c.name: c for c in clients.overview(app, NOW - timedelta(days=1), NOW)}
    acme = view["Acme"]
    assert acme.seconds == 3 * 3600
    assert {p.name: p.seconds for p in acme.projects} == {"api": 7200, "docs": 3600}
    assert view[None].projects[0].name == "loose" and view[None].projects[0].seconds == 3600
    everything = {c.name: c for c in clients.overview(app)}
    assert everything["Acme"].seconds == 4 * 3600


def test_a_local_rename_touches_nothing_signed(app: App) -> None:
    clients.add(app, "project", "portal", "Initech")
    size = len(_leaves(app))
    assert clients.rename(app, "project", "portal", "intranet") == 0
    assert clients.rename(app, "client", "Initech", "Initrode") == 0
    assert len(_leaves(app)) == size
    projects, names = clients.completions(app)
    assert [(p, c) for p, c, _ in projects] == [("intranet", "Initrode")]
    assert names == ["Initrode"]


def test_renaming_a_used_project_amends_each_entry_in_one_transaction(app: App) -> None:
    tracking.set_rate(app, "project", "api", Rate(9000, "EUR"))
    _hour(app, "api", 3, "Acme")
    _hour(app, "api", 5, "Acme")
    removed = tracking.add(app, "api", NOW - timedelta(hours=9), NOW - timedelta(hours=8))
    tracking.remove(app, removed.id, "typo")
    _hour(app, "other", 2, "Acme")
    size = len(_leaves(app))
    with pytest.raises(ServiceError, match="reason"):
        clients.rename(app, "project", "api", "backend")
    assert len(_leaves(app)) == size
    assert clients.rename(app, "project", "api", "backend", "the client calls it backend") == 2
    new = _leaves(app)[size:]
    assert [leaf["kind"] for leaf in new] == [lk.ENTRY_AMEND, lk.ENTRY_AMEND, lk.RATE_SET]
    assert all(leaf.get("reason") == "the client calls it backend" for leaf in new[:2])
    live = [e for e in tracking.entries(app) if not e.removed]
    assert sorted(e.project for e in live) == ["backend", "backend", "other"]
    assert ("project", "backend", Rate(9000, "EUR")) in tracking.rates(app)
    projects, _ = clients.completions(app)
    assert "api" not in [p for p, _, _ in projects]  # the old name is hidden
    with pytest.raises(ServiceError, match="exists already"):
        clients.rename(app, "project", "backend", "other", "why")


def test_a_client_with_entries_is_not_renamed(app: App) -> None:
    _hour(app, "api", 3, "Acme")
    size = len(_leaves(app))
    with pytest.raises(ServiceError, match="does not rename a client that has entries"):
        clients.rename(app, "client", "Acme", "Acme Inc")
    assert len(_leaves(app)) == size


def test_a_local_name_never_reaches_another_clients_bundle(tmp_path: Path) -> None:
    """DESIGN §8: client A's bundle holds nothing of a client added in the app (nor of
    its project and rate); a project added for A and rated does show in A's bundle, so
    the scan can fail."""
    from tests.support import bundles as b
    from tests.support.tsa import TestTsa

    with TestTsa() as tsa:
        home = b.build_home(tmp_path, tsa.url, tsa.root_pem, with_evidence=False)
        try:
            app = home.app
            clients.add(app, "project", "ypsilon-secret-plan", "Ypsilon Hidden Ltd")
            tracking.set_rate(app, "project", "ypsilon-secret-plan", Rate(1234567, "CHF"))
            clients.set_hidden(app, "client", b.CLIENT_B, True)
            clients.add(app, "project", "acme-catalog-visible", b.CLIENT_A)
            tracking.set_rate(app, "project", "acme-catalog-visible", Rate(4242, "EUR"))
            bundle = b.export(home, tmp_path / "a.hproof")
        finally:
            home.close()
    files = {"zip": bundle, **b.unzip(bundle)}
    for secret in ("ypsilon", "Ypsilon Hidden", "12345.67", "12,345.67"):
        for where, data in files.items():
            assert secret.encode() not in data, (secret, where)
    assert any(b"acme-catalog-visible" in data for data in files.values())
