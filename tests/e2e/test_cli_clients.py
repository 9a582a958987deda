"""`hourproof clients` / `projects`: list, add before any entry, hide and unhide; bad
names are one sentence and exit 2; nothing of it is signed."""

from __future__ import annotations

import json

from .test_cli_tracking import ok, refused


def test_add_hide_and_list_clients_and_projects(run):
    assert "No clients yet." in ok(run("clients"))
    ok(run("clients", "--add", "Globex"))
    ok(run("projects", "--add", "portal", "--client", "Initech"))
    ok(run("add", "api", "--client", "Acme", "--from", "-2h", "--to", "-1h"))
    listed = {c["client"]: c for c in json.loads(ok(run("clients", "--json")))}
    assert set(listed) == {"Acme", "Globex", "Initech"}
    assert listed["Globex"]["has_entries"] is False and listed["Acme"]["has_entries"] is True
    started = ok(run("start", "portal"))
    assert "Initech" in started  # the added project's client
    ok(run("clients", "--hide", "Acme"))
    listed = {c["client"]: c for c in json.loads(ok(run("clients", "--json")))}
    assert listed["Acme"]["hidden"] is True
    assert "hidden" in ok(run("clients"))
    ok(run("clients", "--unhide", "Acme"))
    assert json.loads(ok(run("clients", "--json")))[0]["hidden"] is False
    projects = {p["project"]: p for p in json.loads(ok(run("projects", "--json")))}
    assert projects["portal"]["client"] == "Initech" and projects["api"]["client"] == "Acme"
    assert "ok: 2 leaves" in ok(run("ledger", "verify"))  # the add and the start: nothing else


def test_bad_names_are_one_sentence(run):
    ok(run("clients", "--add", "Globex"))
    assert "exists already" in refused(run("clients", "--add", "Globex"))
    assert "name is required" in refused(run("projects", "--add", " "))
    assert "no client" in refused(run("clients", "--hide", "Nobody"))
