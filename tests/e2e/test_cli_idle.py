"""`hourproof idle`: what each OS idle backend answered, and the stored threshold."""

from __future__ import annotations

NO_DESKTOP = {"DISPLAY": "", "WAYLAND_DISPLAY": "", "DBUS_SESSION_BUS_ADDRESS": ""}


def test_without_a_desktop_each_backend_says_why(run) -> None:
    result = run("idle", env=NO_DESKTOP)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "No idle source works here, so the app does not detect time away:"
    assert any("X11 screen saver extension: no X11 display" in line for line in lines)
    assert any("Mutter" in line and line.lstrip().startswith("--") for line in lines)
    assert lines[-1] == "The app asks about time away longer than 5 min while a timer runs."


def test_the_threshold_is_stored_in_the_home(run) -> None:
    assert run("idle", "--threshold", "12", env=NO_DESKTOP).returncode == 0
    assert "longer than 12 min" in run("idle", env=NO_DESKTOP).stdout


def test_a_bad_threshold_is_one_sentence(run) -> None:
    for value in ("0", "600"):
        result = run("idle", "--threshold", value, env=NO_DESKTOP)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
