"""How long the user has been away, from the operating system's own idle counter.

Only the OS's idle time is read — seconds since the last input, as the desktop
already keeps it for the screen saver. No input hook, no key or click counts, no
event stream: hourproof learns one number, when it asks.

Backends, tried in order by ``choose``:

- ``mutter``: GNOME (Wayland and X11), ``org.gnome.Mutter.IdleMonitor.GetIdletime``
  on the session bus (milliseconds).
- ``screensaver``: KDE Plasma and others, ``org.freedesktop.ScreenSaver``
  ``GetSessionIdleTime`` (milliseconds, as KDE's KIdleTime answers it).
- ``xscreensaver``: any X11 server with the MIT-SCREEN-SAVER extension, through
  ``libXss.so.1``'s ``XScreenSaverQueryInfo`` (milliseconds). Refused in a Wayland
  session: XWayland only sees input to X11 windows.
- ``iokit``: macOS, ``IOHIDSystem``'s ``HIDIdleTime`` (nanoseconds).
- ``win32``: Windows, ``GetLastInputInfo`` against ``GetTickCount`` (milliseconds).

Each backend's ``open()`` reads the counter once and raises ``IdleUnavailable`` with
a reason a user can act on; ``choose`` returns the first that works and every
reason, for the settings dialog (``describe``).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

#: A D-Bus call that takes longer than this is treated as failed (the UI asks).
DBUS_TIMEOUT_MS = 500


class IdleUnavailable(Exception):
    """This idle source cannot be used here; the message says why."""


class IdleSource(Protocol):
    name: str

    def idle_seconds(self) -> float:
        """Seconds since the last user input (raises IdleUnavailable)."""
        ...


@dataclass(frozen=True)
class Probe:
    """What trying one backend gave."""

    name: str
    label: str
    ok: bool
    reason: str


# -- D-Bus (QtDBus, part of PySide6-Essentials) --------------------------------------------


class _DBusIdle:
    """A session-bus method that answers idle milliseconds."""

    name = ""
    label = ""
    service = ""
    path = ""
    interface = ""
    method = ""

    def __init__(self) -> None:
        from PySide6.QtDBus import QDBusConnection

        bus = QDBusConnection.sessionBus()
        if not bus.isConnected():
            raise IdleUnavailable("no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset)")
        registered = bus.interface().isServiceRegistered(self.service)
        if not registered.isValid() or not registered.value():
            raise IdleUnavailable(f"{self.service} is not on the session bus")
        self._bus = bus

    @classmethod
    def open(cls) -> _DBusIdle:
        source = cls()
        source.idle_seconds()
        return source

    def idle_seconds(self) -> float:
        from PySide6.QtDBus import QDBus, QDBusMessage

        call = QDBusMessage.createMethodCall(self.service, self.path, self.interface, self.method)
        reply = self._bus.call(call, QDBus.CallMode.Block, DBUS_TIMEOUT_MS)
        if reply.type() == QDBusMessage.MessageType.ErrorMessage:
            raise IdleUnavailable(f"{self.service} answered: {reply.errorMessage()}")
        values = reply.arguments()
        if not values or not isinstance(values[0], int) or values[0] < 0:
            raise IdleUnavailable(f"{self.service}.{self.method} gave no idle time")
        return values[0] / 1000


class MutterIdle(_DBusIdle):
    name = "mutter"
    label = "GNOME (Mutter idle monitor)"
    service = "org.gnome.Mutter.IdleMonitor"
    path = "/org/gnome/Mutter/IdleMonitor/Core"
    interface = "org.gnome.Mutter.IdleMonitor"
    method = "GetIdletime"


class ScreenSaverIdle(_DBusIdle):
    name = "screensaver"
    label = "org.freedesktop.ScreenSaver (KDE and others)"
    service = "org.freedesktop.ScreenSaver"
    path = "/org/freedesktop/ScreenSaver"
    interface = "org.freedesktop.ScreenSaver"
    method = "GetSessionIdleTime"


# -- X11: the MIT-SCREEN-SAVER extension ------------------------------------------------------


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


def _load(names: Sequence[str], what: str) -> ctypes.CDLL:
    for name in names:
        try:
            return ctypes.CDLL(name)
        except OSError:
            continue
    raise IdleUnavailable(f"{what} is not installed ({' or '.join(names)})")


class XScreenSaverIdle:
    """``XScreenSaverQueryInfo`` on the display in ``DISPLAY`` (one connection, kept)."""

    name = "xscreensaver"
    label = "X11 screen saver extension"

    def __init__(self, display: str | None = None) -> None:
        wanted = display if display is not None else os.environ.get("DISPLAY", "")
        if not wanted:
            raise IdleUnavailable("no X11 display (DISPLAY is unset)")
        x11 = _load(["libX11.so.6", ctypes.util.find_library("X11") or "libX11.so"], "libX11")
        xss = _load(["libXss.so.1", ctypes.util.find_library("Xss") or "libXss.so"],
                    "libXss (apt install libxss1)")  # fmt: skip
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XDefaultRootWindow.restype = ctypes.c_ulong
        x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        x11.XFree.argtypes = [ctypes.c_void_p]
        xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p, ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_int)
        ]  # fmt: skip
        xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        xss.XScreenSaverQueryInfo.argtypes = [
            ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo)
        ]  # fmt: skip
        self._x11, self._xss = x11, xss
        self._display = x11.XOpenDisplay(wanted.encode())
        if not self._display:
            raise IdleUnavailable(f"cannot open X11 display {wanted}")
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(self._display, ctypes.byref(event),
                                              ctypes.byref(error)):  # fmt: skip
            self.close()
            raise IdleUnavailable(f"display {wanted} has no MIT-SCREEN-SAVER extension")
        self._info = xss.XScreenSaverAllocInfo()
        self._root = x11.XDefaultRootWindow(self._display)

    @classmethod
    def open(cls, display: str | None = None) -> XScreenSaverIdle:
        if display is None and _wayland_session():
            raise IdleUnavailable("Wayland session: XWayland only sees input to X11 windows")
        source = cls(display)
        source.idle_seconds()
        return source

    def idle_seconds(self) -> float:
        if not self._display:
            raise IdleUnavailable("the X11 display was closed")
        if not self._xss.XScreenSaverQueryInfo(self._display, self._root, self._info):
            raise IdleUnavailable("XScreenSaverQueryInfo failed")
        return float(self._info.contents.idle) / 1000

    def close(self) -> None:
        if getattr(self, "_info", None):
            self._x11.XFree(self._info)
            self._info = None
        if self._display:
            self._x11.XCloseDisplay(self._display)
            self._display = None

    def __del__(self) -> None:
        with contextlib.suppress(Exception):  # at interpreter shutdown libraries may be gone
            self.close()


def _wayland_session() -> bool:
    return os.environ.get("XDG_SESSION_TYPE") == "wayland" or bool(
        os.environ.get("WAYLAND_DISPLAY")
    )


# -- macOS: IOKit's HIDIdleTime ----------------------------------------------------------------


class IOKitIdle:
    """``HIDIdleTime`` (nanoseconds) of the ``IOHIDSystem`` service, through CoreFoundation."""

    name = "iokit"
    label = "macOS (IOHIDSystem HIDIdleTime)"
    _iokit: Any
    _cf: Any
    _service: int
    _key: Any
    _kCFNumberSInt64Type = 4
    _kCFStringEncodingUTF8 = 0x08000100

    def __init__(self) -> None:
        if sys.platform != "darwin":
            raise IdleUnavailable("macOS only")
        iokit = _load(["/System/Library/Frameworks/IOKit.framework/IOKit"], "IOKit")
        cf = _load(["/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"],
                   "CoreFoundation")  # fmt: skip
        iokit.IOServiceMatching.restype = ctypes.c_void_p
        iokit.IOServiceMatching.argtypes = [ctypes.c_char_p]
        iokit.IOServiceGetMatchingService.restype = ctypes.c_uint32
        iokit.IOServiceGetMatchingService.argtypes = [ctypes.c_uint32, ctypes.c_void_p]
        iokit.IORegistryEntryCreateCFProperty.restype = ctypes.c_void_p
        iokit.IORegistryEntryCreateCFProperty.argtypes = [
            ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_uint32
        ]  # fmt: skip
        iokit.IOObjectRelease.argtypes = [ctypes.c_uint32]
        cf.CFStringCreateWithCString.restype = ctypes.c_void_p
        cf.CFStringCreateWithCString.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint32]
        cf.CFNumberGetValue.restype = ctypes.c_bool
        cf.CFNumberGetValue.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_void_p]
        cf.CFRelease.argtypes = [ctypes.c_void_p]
        self._iokit, self._cf = iokit, cf
        # The matching dictionary is consumed by IOServiceGetMatchingService.
        service = iokit.IOServiceGetMatchingService(0, iokit.IOServiceMatching(b"IOHIDSystem"))
        if not service:
            raise IdleUnavailable("no IOHIDSystem service")
        self._service = service
        self._key = cf.CFStringCreateWithCString(None, b"HIDIdleTime", self._kCFStringEncodingUTF8)

    @classmethod
    def open(cls) -> IOKitIdle:
        source = cls()
        source.idle_seconds()
        return source

    def idle_seconds(self) -> float:
        number = self._iokit.IORegistryEntryCreateCFProperty(self._service, self._key, None, 0)
        if not number:
            raise IdleUnavailable("IOHIDSystem has no HIDIdleTime")
        try:
            value = ctypes.c_int64()
            if not self._cf.CFNumberGetValue(number, self._kCFNumberSInt64Type,
                                             ctypes.byref(value)):  # fmt: skip
                raise IdleUnavailable("HIDIdleTime is not a 64-bit number")
        finally:
            self._cf.CFRelease(number)
        return value.value / 1e9


# -- Windows: GetLastInputInfo ------------------------------------------------------------------


class _LastInputInfo(ctypes.Structure):
    _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint32)]


class Win32Idle:
    """Milliseconds since the last input event of the session (``GetLastInputInfo``)."""

    name = "win32"
    label = "Windows (GetLastInputInfo)"
    _user32: Any
    _kernel32: Any

    def __init__(self) -> None:
        if sys.platform != "win32":
            raise IdleUnavailable("Windows only")
        windll = ctypes.windll  # type: ignore[attr-defined,unused-ignore]
        self._user32, self._kernel32 = windll.user32, windll.kernel32
        self._kernel32.GetTickCount.restype = ctypes.c_uint32

    @classmethod
    def open(cls) -> Win32Idle:
        source = cls()
        source.idle_seconds()
        return source

    def idle_seconds(self) -> float:
        info = _LastInputInfo(ctypes.sizeof(_LastInputInfo), 0)
        if not self._user32.GetLastInputInfo(ctypes.byref(info)):
            raise IdleUnavailable("GetLastInputInfo failed")
        # Both counters are 32-bit milliseconds since boot: the difference wraps with them.
        return ((self._kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF) / 1000


# -- choosing -------------------------------------------------------------------------------------

Opener = tuple[str, str, Callable[[], IdleSource]]


def backends() -> list[Opener]:
    """(name, label, open) of every backend, in the order they are tried on this OS."""
    if sys.platform == "darwin":
        return [(IOKitIdle.name, IOKitIdle.label, IOKitIdle.open)]
    if sys.platform == "win32":
        return [(Win32Idle.name, Win32Idle.label, Win32Idle.open)]
    return [
        (MutterIdle.name, MutterIdle.label, MutterIdle.open),
        (ScreenSaverIdle.name, ScreenSaverIdle.label, ScreenSaverIdle.open),
        (XScreenSaverIdle.name, XScreenSaverIdle.label, XScreenSaverIdle.open),
    ]


def choose(candidates: Sequence[Opener] | None = None) -> tuple[IdleSource | None, list[Probe]]:
    """The first backend that reads an idle time, and what each one tried said."""
    probes: list[Probe] = []
    for name, label, opener in candidates if candidates is not None else backends():
        try:
            source = opener()
        except IdleUnavailable as exc:
            probes.append(Probe(name, label, False, str(exc)))
            continue
        except Exception as exc:  # a broken library must not stop the app
            probes.append(Probe(name, label, False, f"{type(exc).__name__}: {exc}"))
            continue
        probes.append(Probe(name, label, True, "works"))
        return source, probes
    return None, probes


def describe(probes: Sequence[Probe]) -> str:
    """One paragraph for the settings dialog: which source is used, or why none is."""
    working = next((p for p in probes if p.ok), None)
    if working is not None:
        return f"Idle time from {working.label}."
    if not probes:
        return "No idle source exists for this system; time away is not detected."
    reasons = "; ".join(f"{p.label}: {p.reason}" for p in probes)
    return f"No idle source works, so time away is not detected ({reasons})."
