"""Work of an export done in child processes, beside the rest of the export.

Two steps need little input and take long: laying out report.pdf (it needs only the
statement) and hashing the Merkle tree over every leaf (it needs only the stored leaf
hashes). Each runs in a fresh interpreter (not a fork: the parent may have Qt loaded
and threads running), started by :class:`ChildJob` with ``-P -c`` and this hourproof
first on the path:

- ``pdf`` (:class:`PdfJob`) starts as an export begins, imports Qt and ``report_pdf``
  while the parent gathers, then reads one pickled
  :class:`~hourproof.proof.model.Statement` on stdin and writes the PDF bytes on
  stdout (``render_pdf`` stays a pure function of the statement);
- ``tree`` (:class:`TreeJob`) opens the database read-only, reads the first ``size``
  leaf hashes and writes the tree's levels (``MerkleTree.level_bytes``); the parent
  checks the rebuilt root against the signed checkpoint before using it.

A child imports only what its job needs (this module imports nothing of hourproof at
the top). A failure comes back as one sentence (its own, or the signal that ended
it); the parent kills its children when the export fails or stops early. A child
never writes a file: if the parent is killed, the child's next write to the closed
pipe ends it, and the bundle is written (or not) by the parent alone. Frozen builds,
where ``sys.executable`` cannot run ``-c``, do both in-process (:func:`can_use_child`).
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
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hourproof.ledger.merkle import MerkleTree

_CHILD = "from hourproof.services.export_child import child_main; child_main()"
#: Exit status of a child that reports a failure on stderr (its last line).
_FAILED = 3


class ChildError(Exception):
    """A child's job failed; the message is one sentence."""


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
        raise ChildError(f"render_pdf returned {type(data).__name__}, not bytes")
    return data


def can_use_child() -> bool:
    """A child interpreter can be started (not a frozen build, a known executable)."""
    return not getattr(sys, "frozen", False) and bool(sys.executable)


def _child_env(kind: str) -> dict[str, str]:
    """The parent's environment, with this hourproof first on the path (``-P`` keeps
    the working directory out of it). The PDF child draws off-screen unless a Qt
    platform is set: it needs fonts, not the desktop's display."""
    import hourproof

    env = dict(os.environ)
    if kind == "pdf":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
    src = str(Path(hourproof.__file__).resolve().parent.parent)
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = src if not old else src + os.pathsep + old
    return env


class ChildJob:
    """One child doing one job (``"pdf"`` or ``"tree"``): :meth:`start`, :meth:`send`,
    then :meth:`result` (or :meth:`cancel`)."""

    def __init__(self, kind: str, *args: str) -> None:
        self.kind = kind
        self._args = args
        self._proc: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._out: bytes = b""
        self._fault: BaseException | None = None

    def start(self) -> None:
        """Start the child (it loads what its job needs, then waits for its input)."""
        # a file, not a pipe: nothing to drain while the child runs; closed in _close
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._proc = subprocess.Popen(
                [sys.executable, "-P", "-c", _CHILD, self.kind, *self._args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
                env=_child_env(self.kind), close_fds=True,
            )  # fmt: skip
        except OSError as exc:  # result() says so; the caller does the work itself
            self._fault = exc
            self._close()

    @property
    def started(self) -> bool:
        """The child is running (or has run): False when it could not be started."""
        return self._proc is not None

    def send(self, data: bytes = b"") -> None:
        """Hand the child its input; it works while the caller goes on."""
        if self._proc is None:
            return  # never started: result() raises
        proc = self._proc

        def talk() -> None:
            try:
                self._out = proc.communicate(data)[0]
            except BaseException as exc:  # reported by result()
                self._fault = exc

        self._thread = threading.Thread(target=talk, name=f"{self.kind}-child", daemon=True)
        self._thread.start()

    def result(self) -> bytes:
        """The child's output; raises :class:`ChildError` with one sentence if it failed."""
        if self._proc is None:
            raise ChildError(f"the {self.kind} worker could not be started ({self._fault})")
        if self._thread is None:
            raise RuntimeError("ChildJob.result before send")
        self._thread.join()
        try:
            code = self._proc.returncode
            if self._fault is not None:
                raise ChildError(f"the {self.kind} worker could not be reached ({self._fault})")
            if code == 0:
                return self._out
            raise ChildError(self._failure(code))
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
            return f"the {self.kind} worker was stopped by {name}" + (f" ({said})" if said else "")
        return f"the {self.kind} worker exited with status {code}" + (f" ({said})" if said else "")

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


class PdfJob(ChildJob):
    """report.pdf of one statement, rendered by a child."""

    def __init__(self) -> None:
        super().__init__("pdf")

    def send_statement(self, statement: Any) -> None:
        self.send(pack_statement(statement))

    def pdf(self) -> bytes:
        data = self.result()
        if not data.startswith(b"%PDF-"):
            raise ChildError("the PDF renderer wrote no PDF")
        return data


class TreeJob(ChildJob):
    """The Merkle tree over the first ``size`` stored leaf hashes of the database at
    ``path``, built by a child (it opens the database read-only)."""

    def __init__(self, path: Path, size: int) -> None:
        super().__init__("tree", os.fspath(path), str(size))
        self.size = size

    def tree(self) -> MerkleTree:
        from hourproof.ledger.merkle import MerkleTree

        return MerkleTree.from_level_bytes(self.size, self.result())


def pack_statement(statement: Any) -> bytes:
    """The statement pickled with its entries as one list per field (columns: half
    the pickling time of one tuple per entry, and a sixth less to read back than
    that); :func:`unpack_statement` gives back an equal statement."""
    import copy
    import dataclasses

    entries = getattr(statement, "entries", None)
    try:
        if not isinstance(entries, list):
            raise TypeError("no list of entries")
        kind = type(entries[0]) if entries else None
        names = [f.name for f in dataclasses.fields(kind)] if kind is not None else []
        if any(type(e) is not kind for e in entries):
            raise TypeError("entries of several types")
        values = [e.__dict__ for e in entries]
        columns = [[v[n] for v in values] for n in names]
    except (AttributeError, KeyError, TypeError):  # no __dict__ (slots) or not dataclasses
        return pickle.dumps(("plain", statement), protocol=pickle.HIGHEST_PROTOCOL)
    head = copy.copy(statement)
    head.entries = []
    payload = ("columns", head, kind, names, columns, len(entries))
    return pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)


def unpack_statement(data: bytes) -> Any:
    payload = pickle.loads(data)
    if not isinstance(payload, tuple) or not payload or payload[0] not in ("plain", "columns"):
        raise ValueError("the exporting process speaks another version of this protocol "
                         "(was hourproof updated while it ran? start it again)")  # fmt: skip
    if payload[0] == "plain":
        return payload[1]
    _, head, kind, names, columns, count = payload
    if len(names) != len(columns) or any(len(c) != count for c in columns):
        raise ValueError("the statement from the exporting process is incomplete")
    new = object.__new__
    entries: list[Any] = []
    append = entries.append
    for row in zip(*columns, strict=True):
        entry = new(kind)
        entry.__dict__.update(zip(names, row, strict=True))
        append(entry)
    head.entries = entries if names else [new(kind) for _ in range(count)]
    return head


def _pdf_child() -> bytes:
    from hourproof.proof import report_pdf

    ensure = getattr(report_pdf, "_ensure_app", None)
    if ensure is not None:
        ensure()  # Qt's start-up, while the parent is still gathering
    data = sys.stdin.buffer.read()
    if not data:
        sys.exit(0)  # the parent went away before sending anything
    import gc

    gc.disable()  # 20,000 entries and their values, no cycles: nothing to collect
    statement = unpack_statement(data)
    gc.enable()
    return render_in_process(statement)


def _tree_child(path: str, size: str) -> bytes:
    from hourproof.ledger.merkle import MerkleTree
    from hourproof.store.ledger import read_hash_blob

    # Wait for the go (the parent's send, at once since report.pdf got its own writer:
    # the tree, not the PDF, was the export's longest path while it waited).
    sys.stdin.buffer.read()
    blob = read_hash_blob(Path(path), int(size))
    return MerkleTree.from_hash_blob(blob).level_bytes()


def child_main() -> None:
    """The child: ``argv`` names the job; its output goes to stdout, a failure to
    stderr as one line (exit status 3)."""
    try:
        kind, *args = sys.argv[1:]
        out = _pdf_child() if kind == "pdf" else _tree_child(*args)
    except Exception as exc:
        text = " ".join(str(exc).split()) or type(exc).__name__
        sys.stderr.write(f"{text}\n")
        sys.stderr.flush()
        os._exit(_FAILED)
    try:
        sys.stdout.buffer.write(out)
        sys.stdout.buffer.flush()
    except BrokenPipeError:  # the parent is gone: nothing to deliver to
        os._exit(1)
    os._exit(0)  # skip Qt's teardown: the bytes are out
