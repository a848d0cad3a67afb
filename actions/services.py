"""The CRM store and the recommender as the actions see them.

Built lazily by `get_store()` and `get_model_loader()` on the first action call, never at
import, so importing `actions` (as the action server and the tests do) touches no
database and loads no model. The catalogue of
names and categories is cached for a short TTL because product matching runs on every
catalogue question, while imports and the demo seed must still show up without a restart.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

from pydantic import ValidationError
from sqlalchemy.orm import Session

from crm_bridge import products
from crm_bridge.db import make_engine, make_session_factory
from crm_bridge.settings import StoreSettings
from crm_bridge.transactions import run_transaction
from mailer.settings import MailSettings
from recommender import ModelLoader

CATALOGUE_TTL_SECONDS = 30.0
T = TypeVar("T")
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueEntry:
    """What matching needs of a product; prices and stock are read fresh when answering."""

    sku: str
    name: str
    category: str


@dataclass(frozen=True)
class Catalogue:
    """Active products and their categories at one moment."""

    entries: tuple[CatalogueEntry, ...]
    categories: tuple[str, ...]

    @property
    def names(self) -> list[str]:
        return [entry.name for entry in self.entries]

    def by_name(self, name: str) -> CatalogueEntry | None:
        """The entry with exactly this name (names come from this catalogue)."""
        return next((entry for entry in self.entries if entry.name == name), None)


class Store:
    """Engine, transactions and the cached catalogue for one database URL."""

    def __init__(
        self,
        url: str,
        *,
        catalogue_ttl: float = CATALOGUE_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine = make_engine(url)
        self._session_factory = make_session_factory(self._engine)
        self._ttl = catalogue_ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._catalogue: Catalogue | None = None
        self._loaded_at = 0.0

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session committed on success and rolled back on error (repositories only flush)."""
        session = self._session_factory()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def run(self, work: Callable[[Session], T]) -> T:
        """Run `work` in a transaction, again on a fresh snapshot if SQLite reports a
        conflict with another process's write (see `crm_bridge.transactions`)."""
        return run_transaction(self._session_factory, work)

    def dispose(self) -> None:
        """Close pooled connections (tests, shutdown)."""
        self._engine.dispose()

    def catalogue(self) -> Catalogue:
        """The catalogue, re-read from the store once the TTL has passed."""
        with self._lock:
            now = self._clock()
            if self._catalogue is None or now - self._loaded_at >= self._ttl:
                self._catalogue = self._load_catalogue()
                self._loaded_at = now
            return self._catalogue

    def _load_catalogue(self) -> Catalogue:
        with self.transaction() as session:
            rows = products.list_products(session)
            entries = tuple(CatalogueEntry(p.sku, p.name, p.category) for p in rows)
            categories = tuple(products.list_categories(session))
        return Catalogue(entries=entries, categories=categories)


@functools.cache
def get_store() -> Store:
    """The process-wide store, configured from `StoreSettings` on first use."""
    return Store(StoreSettings().resolved_database_url())


# The launcher trains versions into $DATA_DIR/recommender (launcher/recommender_training.py).
RECOMMENDER_FOLDER = "recommender"
MODEL_CHECK_SECONDS = 5.0


@functools.cache
def get_model_loader() -> ModelLoader:
    """The process-wide recommender loader: loads the newest version once, then follows it.

    `ModelLoader.get()` looks for a newer version at most every `MODEL_CHECK_SECONDS`, so a
    training run is picked up without restarting the action server.
    """
    root = StoreSettings().data_dir.resolve() / RECOMMENDER_FOLDER
    return ModelLoader(root, check_interval=MODEL_CHECK_SECONDS)


@functools.cache
def get_mail_settings() -> MailSettings | None:
    """Email settings of the action server, read once; None (logged) when they are invalid."""
    try:
        return MailSettings()
    except ValidationError as error:
        logger.error("Email settings are invalid, so no email is queued: %s", error)
        return None
