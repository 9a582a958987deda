"""Asking about time away: the idle watcher and its prompt.

While a timer runs, ``IdleWatcher`` samples the OS's idle seconds (``sources.idle``:
no input hooks, one number per poll) every 10 s and feeds ``core.idle.AwayDetector``.
When the user comes back after more than the threshold, ``IdlePrompt`` asks what the
time away was: keep it, discard it (the entry is cut with the reason "idle" and a
new timer carries on), or stop the timer where the absence began. The answer is
written by the service layer on the writer thread (``services.idle.resolve``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hourproof.core.idle import DEFAULT_THRESHOLD, Away, AwayDetector
from hourproof.gui import fmt
from hourproof.gui.controller import Controller
from hourproof.gui.extensions import Host
from hourproof.gui.idle_sampler import IdleSampler
from hourproof.services import idle
from hourproof.services.idle import DISCARD, KEEP, STOP, IdleOutcome
from hourproof.sources import idle as idle_sources
from hourproof.sources.idle import IdleSource, IdleUnavailable, Probe

log = logging.getLogger(__name__)

POLL_MS = 10_000


class IdleWatcher(QObject):
    """Samples an idle source while a timer runs; says when the user is back.

    The timer asks ``IdleSampler`` for a sample on its own thread (a D-Bus source can
    take up to its timeout to answer), and the answer is fed to the detector here, on
    the UI thread. ``poll`` samples on the calling thread (tests, scripts)."""

    #: The user came back after an absence longer than the threshold (an Away).
    returned = Signal(object)
    #: A sample taken on the sampler's thread was applied (its Away, or None).
    sampled = Signal(object)

    def __init__(
        self, controller: Controller, source: IdleSource | None, probes: list[Probe],
        parent: QObject | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.controller = controller
        self.source = source
        self.probes = probes
        self.detector = AwayDetector(DEFAULT_THRESHOLD, poll=timedelta(milliseconds=POLL_MS))
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.request_sample)
        self.sampler: IdleSampler | None = None
        if source is not None:
            self.sampler = IdleSampler(source, controller.now, self)
            self.sampler.sampled.connect(self._sampled)
            self.sampler.failed.connect(self._failed)
        self._running_id: int | None = None
        controller.status_changed.connect(self._status_changed)

    @property
    def description(self) -> str:
        """For settings and tooltips: which idle source is used, or why none is."""
        return idle_sources.describe(self.probes)

    def start(self) -> None:
        if self.source is None:
            log.info("idle detection is off: %s", self.description)
            return
        self.timer.start()
        self._status_changed(self.controller.status)

    def stop(self) -> None:
        self.timer.stop()
        if self.sampler is not None:
            self.sampler.close()

    def set_threshold(self, threshold: timedelta) -> None:
        self.detector.threshold = threshold

    def _status_changed(self, status: object) -> None:
        running = getattr(status, "running", None)
        running_id = running.id if running is not None else None
        if running_id != self._running_id:
            self._running_id = running_id
            self.detector.reset()
            if running_id is not None:
                self.controller.read(idle.threshold, self.set_threshold, lambda _msg: None)

    def request_sample(self) -> bool:
        """Ask the sampler's thread for one sample (the timer calls this); False when
        there is nothing to watch or the previous sample has not come back."""
        if self.source is None or self._running_id is None or self.sampler is None:
            return False
        return self.sampler.request()

    def _sampled(self, seconds: float, now: object) -> None:
        away = self._apply(seconds, now) if self.source is not None else None
        self.sampled.emit(away)

    def _failed(self, reason: str) -> None:
        self._lost(reason)
        self.sampled.emit(None)

    def poll(self) -> Away | None:
        """One sample taken on the calling thread (tests call this directly)."""
        if self.source is None or self._running_id is None:
            return None
        try:
            seconds = self.source.idle_seconds()
        except IdleUnavailable as exc:
            self._lost(str(exc))
            return None
        return self._apply(seconds, self.controller.now())

    def _apply(self, seconds: float, now: object) -> Away | None:
        if self._running_id is None:
            return None  # the timer stopped while the sample was taken
        away = self.detector.sample(now, seconds)  # type: ignore[arg-type]
        if away is not None:
            self.returned.emit(away)
        return away

    def _lost(self, reason: str) -> None:
        if self.source is None:
            return
        log.warning("idle source %s stopped working: %s", self.source.name, reason)
        name = self.source.name
        self.probes = [
            Probe(p.name, p.label, False, f"stopped working: {reason}") if p.name == name else p
            for p in self.probes
        ]
        self.source = None
        self.stop()


def _duration(seconds: int) -> str:
    """``46 min``, ``1 h 05 min``."""
    minutes = round(seconds / 60)
    if minutes < 60:
        return QCoreApplication.translate("idle", "{0} min").format(minutes)
    return QCoreApplication.translate("idle", "{0} h {1} min").format(
        minutes // 60, f"{minutes % 60:02d}"
    )


class IdlePrompt(QDialog):
    """ "You were away from … to …": keep, discard or stop at the start of the absence."""

    #: The user's answer: "keep", "discard" or "stop".
    chosen = Signal(str)

    def __init__(self, away: Away, project: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.away = away
        self.setWindowTitle(self.tr("Welcome back"))
        self.setAccessibleName(self.tr("Time away"))
        duration = _duration(away.seconds)
        span = f"{fmt.clock(away.start)}–{fmt.clock(away.end)}"
        cause = (self.tr("the computer was asleep") if away.cause == "suspend"
                 else self.tr("no keyboard or mouse input"))  # fmt: skip
        self.message = QLabel(
            self.tr("From {0} ({1}) while the timer for “{2}” was running. What should "
                    "that time be?").format(span, cause, project)
        )  # fmt: skip
        self.message.setWordWrap(True)
        note = QLabel(
            self.tr(
                "Whatever you choose is kept in the signed ledger: discarding amends "
                "the entry with the reason “idle”; the original stays visible."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        self.keep_button = QPushButton(self.tr("&Keep it: I was working"))
        self.discard_button = QPushButton(self.tr("&Discard the time away"))
        self.stop_button = QPushButton(self.tr("&Stop the timer at {0}").format(
            fmt.clock(away.start)))  # fmt: skip
        tips = {
            self.keep_button: self.tr("Count the time away as work (a call, a whiteboard)"),
            self.discard_button: self.tr("Cut the entry at {0} and carry on timing from {1}")
            .format(fmt.clock(away.start), fmt.clock(away.end)),
            self.stop_button: self.tr("End the entry at {0}; no timer afterwards")
            .format(fmt.clock(away.start)),
        }  # fmt: skip
        self.heading = heading = QLabel(self.tr("You were away for {0}").format(duration))
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(self.message)
        layout.addWidget(note)
        for button, action in ((self.discard_button, DISCARD), (self.keep_button, KEEP),
                               (self.stop_button, STOP)):  # fmt: skip
            button.setToolTip(tips[button])
            button.setAccessibleName(button.text().replace("&", ""))
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, a=action: self._choose(a))
            layout.addWidget(button)
        self.discard_button.setDefault(True)
        self.setMinimumWidth(460)
        self.adjustSize()

    def _choose(self, action: str) -> None:
        self.chosen.emit(action)
        self.accept()


class IdleFeature(QObject):
    """The watcher plus the prompt: asks once per absence, writes the answer."""

    #: What the service recorded (an IdleOutcome), after an answer.
    resolved = Signal(object)

    def __init__(self, host: Host, watcher: IdleWatcher) -> None:
        super().__init__(host.window)
        self.host = host
        self.watcher = watcher
        self.prompt: IdlePrompt | None = None
        watcher.returned.connect(self.ask)

    def ask(self, away: Away) -> IdlePrompt | None:
        if self.prompt is not None:  # one question at a time; the open one stands
            return None
        running = self.host.controller.status.running
        project = running.project if running is not None else ""
        prompt = IdlePrompt(away, project, self.host.window)
        prompt.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        prompt.chosen.connect(lambda action: self.answer(away, action))
        prompt.finished.connect(self._closed)
        self.prompt = prompt
        prompt.show()
        prompt.raise_()
        prompt.activateWindow()
        return prompt

    def _closed(self, *_: object) -> None:
        self.prompt = None

    def answer(self, away: Away, action: str) -> None:
        source = self.watcher.source.name if self.watcher.source else "unknown"
        if away.cause == "suspend":
            source = "suspend"

        def done(outcome: IdleOutcome) -> None:
            if action != KEEP:
                self.host.window.statusBar().showMessage(
                    self.tr("Time away {0}–{1} taken out of the entry (reason: idle)").format(
                        fmt.clock(away.start), fmt.clock(away.end)), 10_000)  # fmt: skip
            self.resolved.emit(outcome)

        self.host.controller.write(
            "idle", lambda app: idle.resolve(app, away, action, source), done
        )


class IdleSettings(QDialog):
    """Which idle source works (or why none does) and the threshold, in minutes."""

    def __init__(self, description: str, threshold: timedelta,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle(self.tr("Time away"))
        self.source = QLabel(description)
        self.source.setWordWrap(True)
        self.source.setAccessibleName(self.tr("Idle source"))
        self.minutes = QSpinBox()
        self.minutes.setRange(int(idle.MIN_THRESHOLD.total_seconds() // 60),
                              int(idle.MAX_THRESHOLD.total_seconds() // 60))  # fmt: skip
        self.minutes.setSuffix(self.tr(" min"))
        self.minutes.setValue(int(threshold.total_seconds() // 60))
        self.minutes.setAccessibleName(self.tr("Ask after this many minutes away"))
        self.minutes.setToolTip(
            self.tr("With a timer running, ask about time away longer than this")
        )
        note = QLabel(self.tr("Only the operating system's idle time is read — never "
                              "keystrokes, clicks or what is on the screen."))  # fmt: skip
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")
        form = QFormLayout()
        form.addRow(self.tr("Source:"), self.source)
        form.addRow(self.tr("&Ask after:"), self.minutes)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def threshold(self) -> timedelta:
        return timedelta(minutes=self.minutes.value())


def ask_idle_settings(
    parent: QWidget | None, description: str, threshold: timedelta
) -> timedelta | None:
    dialog = IdleSettings(description, threshold, parent)
    return dialog.threshold() if dialog.exec() == QDialog.DialogCode.Accepted else None


def open_settings(host: Host, watcher: IdleWatcher) -> None:
    """Read the stored threshold, ask, store the answer (reads and writes off the UI thread)."""

    def show(current: timedelta) -> None:
        chosen = ask_idle_settings(host.window, watcher.description, current)
        if chosen is not None and chosen != current:
            host.controller.write("idle threshold", lambda app: idle.set_threshold(app, chosen),
                                  watcher.set_threshold)  # fmt: skip

    host.controller.read(idle.threshold, show)


def start_watching(
    host: Host, chooser: Callable[[], tuple[IdleSource | None, list[Probe]]] = idle_sources.choose
) -> IdleFeature:
    source, probes = chooser()
    watcher = IdleWatcher(host.controller, source, probes, host.window)
    feature = IdleFeature(host, watcher)
    watcher.start()
    host.on_quit(watcher.stop)
    return feature


def install(host: Host) -> None:
    """Watch for time away while a timer runs (nothing happens without an idle source);
    File → "Time away…" shows the source and sets the threshold."""
    feature = start_watching(host)
    host.window.setProperty("idle_description", feature.watcher.description)
    action = QAction(feature.tr("Time &away…"), host.window)
    action.setToolTip(feature.tr("Idle detection: which source works, and the threshold"))
    action.triggered.connect(lambda: open_settings(host, feature.watcher))
    host.add_action("file", action)
