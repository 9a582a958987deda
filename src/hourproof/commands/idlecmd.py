"""``hourproof idle``: which OS idle source works here, and the time-away threshold."""

from __future__ import annotations

import argparse
from datetime import timedelta

from hourproof.commands.common import open_app
from hourproof.services import idle
from hourproof.services.errors import ServiceError


def status(args: argparse.Namespace) -> int:
    """Try every idle backend of this OS and say what each answered."""
    from hourproof.sources.idle import choose, describe

    if args.threshold is not None:
        if args.threshold <= 0:
            raise ServiceError("--threshold must be a positive number of minutes")
        idle.set_threshold(open_app(args), timedelta(minutes=args.threshold))
    source, probes = choose()
    if source is not None:
        print(describe(probes))
    else:
        print("No idle source works here, so the app does not detect time away:")
    for probe in probes:
        print(f"  {'ok' if probe.ok else '--'}  {probe.label}: {probe.reason}")
    if source is not None:
        print(f"Idle now: {source.idle_seconds():.0f} s")
    minutes = int(idle.threshold(open_app(args)).total_seconds() // 60)
    print(f"The app asks about time away longer than {minutes} min while a timer runs.")
    return 0
