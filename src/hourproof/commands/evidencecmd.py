"""``hourproof git …``, ``hourproof watch …``, ``hourproof suggest`` and ``accept``."""

from __future__ import annotations

import argparse
from datetime import timedelta

from hourproof.commands.common import day_range, kick_anchor, open_app, print_json, table
from hourproof.core.timeparse import format_duration, format_local, to_rfc3339
from hourproof.services import evidence, suggestions
from hourproof.services.errors import ServiceError


def git_add(args: argparse.Namespace) -> int:
    app = open_app(args)
    repo, warnings = evidence.add_repo(
        app, args.path, args.project, args.client, tuple(args.author or ()), args.subjects
    )
    for warning in warnings:
        print(f"warning: {warning}")
    print(
        f"Registered {repo.path} for {repo.project} (authors: {', '.join(repo.authors)}). "
        "Run 'hourproof git scan' and 'hourproof git hook install PATH'."
    )
    return 0


def git_list(args: argparse.Namespace) -> int:
    repos = evidence.list_repos(open_app(args))
    if getattr(args, "json", False):
        print_json([
            {"path": str(r.path), "project": r.project, "client": r.client,
             "authors": list(r.authors), "subjects": bool(r.subjects)}
            for r in repos
        ])  # fmt: skip
        return 0
    if not repos:
        print("No repositories registered.")
        return 0
    rows = [[str(r.path), r.project, r.client or "", ", ".join(r.authors),
             "yes" if r.subjects else "no"] for r in repos]  # fmt: skip
    print(table(rows, ["PATH", "PROJECT", "CLIENT", "AUTHORS", "SUBJECTS"]))
    return 0


def git_remove(args: argparse.Namespace) -> int:
    repo = evidence.remove_repo(open_app(args), args.path)
    print(f"No longer scanning {repo.path} (its recorded commits stay in the ledger)")
    return 0


def git_scan(args: argparse.Namespace) -> int:
    app = open_app(args)
    for result in evidence.scan(app, args.path):
        for warning in result.warnings:
            print(f"warning: {result.repo}: {warning}")
        print(f"{result.repo}: {result.new_commits} new commit(s) recorded")
    kick_anchor(app)
    return 0


def git_hook(args: argparse.Namespace) -> int:
    app = open_app(args)
    if args.action == "install":
        hook = evidence.install_hook(app, args.path)
        print(f"Installed post-commit hook {hook}")
    else:
        removed = evidence.uninstall_hook(app, args.path)
        print("Removed the hourproof post-commit hook" if removed else "No hourproof hook found")
    return 0


def watch_add(args: argparse.Namespace) -> int:
    watch = evidence.add_watch(open_app(args), args.path, args.project, args.client)
    print(f"Watching {watch.path} for {watch.project} (run 'hourproof watch run', or the app)")
    return 0


def watch_list(args: argparse.Namespace) -> int:
    watches = evidence.list_watches(open_app(args))
    if getattr(args, "json", False):
        print_json([
            {"path": str(w.path), "project": w.project, "client": w.client} for w in watches
        ])  # fmt: skip
        return 0
    if not watches:
        print("No folders watched.")
        return 0
    print(table([[str(w.path), w.project, w.client or ""] for w in watches],
                ["PATH", "PROJECT", "CLIENT"]))  # fmt: skip
    return 0


def watch_remove(args: argparse.Namespace) -> int:
    watch = evidence.remove_watch(open_app(args), args.path)
    print(f"No longer watching {watch.path}")
    return 0


def watch_run(args: argparse.Namespace) -> int:
    app = open_app(args)
    pulse = timedelta(seconds=args.pulse) if args.pulse else None
    written = evidence.run_watchers(
        app, args.for_seconds, lambda m: print(m, flush=True), pulse, args.hash
    )
    print(f"Recorded {written} activity span(s)")
    kick_anchor(app)
    return 0


def _session_params(
    args: argparse.Namespace,
) -> tuple[timedelta | None, timedelta | None, timedelta | None]:
    """--gap, --allowance and --commit-gap as timedeltas (None: the default)."""
    values: list[timedelta | None] = []
    for name in ("gap", "allowance", "commit_gap"):
        value = getattr(args, name, None)
        if value is not None and value <= 0:
            flag = name.replace("_", "-")
            raise ServiceError(f"--{flag} must be a positive number of minutes")
        values.append(timedelta(minutes=value) if value else None)
    return values[0], values[1], values[2]


def suggest(args: argparse.Namespace) -> int:
    app = open_app(args)
    lo, hi = day_range(args)
    views = suggestions.suggestions(app, lo, hi, *_session_params(args))
    if args.json:
        print_json([
            {"id": v.suggestion.id, "project": v.suggestion.project,
             "client": v.suggestion.client, "start": to_rfc3339(v.suggestion.start),
             "end": to_rfc3339(v.suggestion.end), "seconds": v.suggestion.seconds,
             "evidence": list(v.suggestion.evidence), "claimed_overlap": v.claimed_overlap}
            for v in views
        ])  # fmt: skip
        return 0
    if not views:
        print("No suggested sessions (record commits or file activity first).")
        return 0
    rows = [[v.suggestion.id, format_local(v.suggestion.start),
             format_local(v.suggestion.end, with_date=False),
             format_duration(v.suggestion.seconds), v.suggestion.project,
             str(len(v.suggestion.evidence)), format_duration(v.claimed_overlap)]
            for v in views]  # fmt: skip
    print(table(rows, ["ID", "START", "END", "TIME", "PROJECT", "EVIDENCE", "CLAIMED"]))
    print("Accept with: hourproof accept ID [ID…], or hourproof accept --all")
    return 0


def accept(args: argparse.Namespace) -> int:
    if args.all == bool(args.suggestion):
        raise ServiceError("name suggestion ids or give --all (not both)")
    if not args.all and (args.date_from or args.date_to):
        raise ServiceError("--from/--to go with --all")
    app = open_app(args)
    params = _session_params(args)
    if args.all:
        lo, hi = day_range(args)
        accepted = suggestions.accept_open(app, lo, hi, *params)
        if not accepted:
            print("No open suggestion to accept (each one overlaps an entry of its project).")
    else:
        accepted = suggestions.accept_many(app, args.suggestion, *params)
    for entry in accepted:
        end = format_local(entry.end or entry.start, with_date=False)  # accepted: always ended
        print(
            f"Added #{entry.id} {entry.project}: {format_local(entry.start)} – {end} "
            f"citing {len(entry.evidence)} evidence leaves"
        )
    if accepted:
        kick_anchor(app)
    return 0
