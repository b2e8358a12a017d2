"""A snapshot of the built knowledge base, so that a restart with an unchanged folder does
not index it again.

Reading and indexing 10,000 entries costs about 3.6 s of CPU; unpickling the snapshot about
0.3 s. The snapshot is keyed by a fingerprint of everything the build reads: every
``*.yaml`` of the folder (bytes), the knowledge base's own code (``bot/kb/*.py``) and the
Python version. Any difference, or any problem reading the snapshot, means a normal build,
and the snapshot is written anew (atomically, readable by its owner only). It lives beside
the database, a folder only the bot may write: a pickle runs code when loaded, so it must
never be read from a place others can write to.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from pathlib import Path

from bot.kb.knowledge import KnowledgeBase, garbage_collector_paused

log = logging.getLogger(__name__)

_CODE = Path(__file__).resolve().parent
_MAGIC = b"hoibot-knowledge-snapshot 1\n"


def fingerprint(directory: Path) -> bytes:
    """A digest of the folder's YAML files, the knowledge code and the Python version."""
    digest = hashlib.sha256(_MAGIC + sys.version.encode())
    for source in sorted(_CODE.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    for path in sorted(Path(directory).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest().encode()


def load(directory: Path | str, snapshot: Path | str) -> KnowledgeBase:
    """The knowledge base of ``directory``: from ``snapshot`` if it was taken of the same
    folder and code, else built (raising :class:`~bot.kb.KnowledgeError` on problems) and
    snapshotted."""
    directory, snapshot = Path(directory), Path(snapshot)
    key = fingerprint(directory)
    kb = _read(snapshot, key)
    if kb is not None:
        return kb
    kb = KnowledgeBase.load(directory)
    _write(snapshot, key, kb)
    return kb


def save(directory: Path | str, snapshot: Path | str, kb: KnowledgeBase) -> None:
    """Snapshot ``kb``, built from ``directory`` as it is now."""
    _write(Path(snapshot), fingerprint(Path(directory)), kb)


def _read(snapshot: Path, key: bytes) -> KnowledgeBase | None:
    try:
        with snapshot.open("rb") as stream:
            if stream.readline() != _MAGIC or stream.readline().rstrip(b"\n") != key:
                return None
            with garbage_collector_paused():
                kb = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception:  # a damaged or foreign snapshot: build instead
        log.warning("knowledge snapshot %s unreadable: building the index again", snapshot,
                    exc_info=True)
        return None
    return kb if isinstance(kb, KnowledgeBase) else None


def _write(snapshot: Path, key: bytes, kb: KnowledgeBase) -> None:
    partial = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.tmp")
    try:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(_MAGIC + key + b"\n")
            with garbage_collector_paused():
                pickle.dump(kb, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, snapshot)
    except OSError:
        log.warning("knowledge snapshot %s not written", snapshot, exc_info=True)
        partial.unlink(missing_ok=True)
