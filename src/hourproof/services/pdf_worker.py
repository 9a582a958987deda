"""report.pdf rendered in a child process, beside the rest of an export.

Laying out a long statement is the longest single step of an export, and it needs
only the statement. :class:`PdfJob` starts a fresh interpreter (not a fork: the
parent may have Qt loaded and threads running) as soon as an export begins; the
child imports Qt and ``report_pdf`` while the parent gathers, then reads one pickled
:class:`~hourproof.proof.model.Statement` on stdin, renders it, and writes the PDF
bytes on stdout. The parent builds proofs, report.html and the zip meanwhile and
collects the bytes before it writes the manifest.

The child imports only what ``render_pdf`` needs (this module imports nothing of
hourproof at the top). A failure in it comes back as one sentence (its own, or the
signal that ended it); the parent kills the child when the export fails or stops
early. The child never writes a file the bundle depends on: if the parent is killed,
the child's next write to the closed pipe ends it, and the bundle is written (or not)
by the parent alone. Frozen builds, where ``sys.executable`` cannot run ``-c``,
render in-process instead (:func:`render_in_process`).
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

_CHILD = "from hourproof.services.pdf_worker import child_main; child_main()"
#: Exit status of a child that reports a failure on stderr (its last line).
_FAILED = 3


class PdfError(Exception):
    """report.pdf could not be rendered; the message is one sentence."""


def render_in_process(statement: Any) -> bytes:
    """``report_pdf.render_pdf`` here, as bytes (its signature: statement and path,
    or statement in, bytes out)."""
    import inspect

    from hourproof.proof import report_pdf

    render: Any = report_pdf.render_pdf
    if len(inspect.signature(render).parameters) >= 2:
        with tempfile.TemporaryDirectory(prefix="hourproof-pdf-") as tmp:
            path = Path(tmp) / "report.pdf"
            render(statement, path)
            return path.read_bytes()
    data = render(statement)
    if not isinstance(data, bytes):
        raise PdfError(f"render_pdf returned {type(data).__name__}, not bytes")
    return data


def can_use_child() -> bool:
    """A child interpreter can be started (not a frozen build, a known executable)."""
    return not getattr(sys, "frozen", False) and bool(sys.executable)


def _child_env() -> dict[str, str]:
    """The parent's environment, with this hourproof first on the path (``-P`` keeps
    the working directory out of it)."""
    import hourproof

    env = dict(os.environ)
    src = str(Path(hourproof.__file__).resolve().parent.parent)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = src if not old else src + os.pathsep + old
    return env


class PdfJob:
    """One child rendering one statement; :meth:`start`, :meth:`send`, then
    :meth:`result` (or :meth:`cancel`)."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._out: bytes = b""
        self._fault: BaseException | None = None

    def start(self) -> None:
        """Start the child (it loads Qt, then waits for the statement)."""
        # a file, not a pipe: nothing to drain while the child runs; closed in _close
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-c", _CHILD],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
            env=_child_env(), close_fds=True,
        )  # fmt: skip

    def send(self, statement: Any) -> None:
        """Hand the child its statement; it renders while the caller goes on."""
        if self._proc is None:
            raise RuntimeError("PdfJob.send before start")
        data = pickle.dumps(statement, protocol=pickle.HIGHEST_PROTOCOL)
        proc = self._proc

        def talk() -> None:
            try:
                self._out = proc.communicate(data)[0]
            except BaseException as exc:  # reported by result()
                self._fault = exc

        self._thread = threading.Thread(target=talk, name="pdf-child", daemon=True)
        self._thread.start()

    def result(self) -> bytes:
        """The PDF bytes; raises :class:`PdfError` with one sentence if there are none."""
        if self._proc is None or self._thread is None:
            raise RuntimeError("PdfJob.result before send")
        self._thread.join()
        try:
            code = self._proc.returncode
            if self._fault is not None:
                raise PdfError(f"the PDF renderer could not be reached ({self._fault})")
            if code == 0 and self._out.startswith(b"%PDF-"):
                return self._out
            raise PdfError(self._failure(code))
        finally:
            self._close()

    def _failure(self, code: int | None) -> str:
        said = ""
        if self._errors is not None:
            self._errors.seek(0)
            lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
            said = lines[-1].strip() if lines else ""
        if code == _FAILED and said:
            return said
        if code is not None and code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"the PDF renderer was stopped by {name}" + (f" ({said})" if said else "")
        return f"the PDF renderer exited with status {code}" + (f" ({said})" if said else "")

    def cancel(self) -> None:
        """Stop the child (the export failed or was interrupted); safe to call twice."""
        proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.kill()
        if self._thread is not None:
            self._thread.join()
        elif proc is not None:
            proc.communicate()
        self._close()

    def _close(self) -> None:
        if self._errors is not None:
            self._errors.close()
            self._errors = None
        proc = self._proc
        if proc is not None:
            for stream in (proc.stdin, proc.stdout):
                if stream is not None and not stream.closed:
                    stream.close()
            proc.wait()


def child_main() -> None:
    """The child: load Qt, read the statement from stdin, write the PDF to stdout."""
    try:
        from hourproof.proof import report_pdf

        ensure = getattr(report_pdf, "_ensure_app", None)
        if ensure is not None:
            ensure()  # Qt's start-up, while the parent is still gathering
        data = sys.stdin.buffer.read()
        if not data:
            sys.exit(0)  # the parent went away before sending anything
        statement = pickle.loads(data)
        pdf = render_in_process(statement)
    except Exception as exc:
        text = " ".join(str(exc).split()) or type(exc).__name__
        sys.stderr.write(f"{text}\n")
        sys.stderr.flush()
        os._exit(_FAILED)
    try:
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # the parent is gone: nothing to deliver to
        os._exit(1)
    os._exit(0)  # skip Qt's teardown: the bytes are out
