"""A watched inbox folder: drop files in, they are ingested and moved out.

Every second the :class:`InboxWatcher` looks at the files directly in the
``inbox`` folder (the same kinds ``tidings ingest`` reads: .txt, .html, .json,
.jsonl). A file is taken once it has not changed for a second (so a file still
being written is left alone; names starting with "." or ending in .tmp/.part
are never taken). Its articles go to the intake (persisted) and the file moves
to ``done/``; a file with no usable article moves to ``failed/``. Whatever went
wrong (a bad line, a bad encoding) is written next to it in ``NAME.reason.txt``.
"""

from __future__ import annotations

import logging
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import InputError
from ..settings import Settings
from ..sources.files import InputRecord, Skipped, iter_inputs
from ..store import Store
from . import intake

logger = logging.getLogger(__name__)

SETTLE_SECONDS = 1.0


def _target(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    n = 1
    while target.exists():
        target = folder / f"{Path(name).stem}.{n}{Path(name).suffix}"
        n += 1
    return target


def take(store: Store, path: Path, settings: Settings) -> tuple[str, int, list[str]]:
    """Ingest one inbox file; return (done|failed, articles accepted, problems)."""
    records: list[InputRecord] = []
    problems: list[str] = []
    for item in iter_inputs([str(path)], max_bytes=settings.max_input_bytes):
        if isinstance(item, InputRecord):
            records.append(item)
        elif isinstance(item, InputError):
            problems.append(str(item))
        elif isinstance(item, Skipped):
            problems.append(f"{item.where}: {item.reason}")
    if records:
        intake.accept(store, records, "inbox")
    outcome = "done" if records else "failed"
    target = _target(path.parent / outcome, path.name)
    shutil.move(str(path), target)
    if problems or not records:
        reason = "\n".join(problems) or "no article found"
        target.with_name(target.name + ".reason.txt").write_text(reason + "\n", encoding="utf-8")
    return outcome, len(records), problems


class InboxWatcher(threading.Thread):
    def __init__(
        self,
        store: Store,
        settings: Settings,
        folder: Path,
        *,
        on_accept: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(name="tidings-inbox", daemon=True)
        self.store = store
        self.settings = settings
        self.folder = folder
        self.on_accept = on_accept
        self._stopping = threading.Event()

    def stop(self, timeout: float | None = 30.0) -> None:
        self._stopping.set()
        self.join(timeout)

    def ready(self) -> list[Path]:
        now = time.time()
        out = []
        for path in sorted(self.folder.iterdir()):
            name = path.name
            if not path.is_file() or name.startswith(".") or name.endswith((".tmp", ".part")):
                continue
            try:
                if now - path.stat().st_mtime < SETTLE_SECONDS:
                    continue
            except OSError:
                continue
            out.append(path)
        return out

    def run(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        while not self._stopping.wait(1.0):
            try:
                for path in self.ready():
                    outcome, n, problems = take(self.store, path, self.settings)
                    logger.info(
                        "inbox %s: %s, %d article(s), %d problem(s)",
                        path.name,
                        outcome,
                        n,
                        len(problems),
                    )
                    if n and self.on_accept is not None:
                        self.on_accept()
            except Exception:
                logger.exception("inbox scan failed")
