"""What the web app's routes share: :class:`AppState` (the index, read-only; the options; the query engine)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from textreuse.corpus.query import Query
from textreuse.index.store import Store
from textreuse.web.options import WebOptions

__all__ = ["AppState", "state_of"]


@dataclass
class AppState:
    """What the routes share: the index (read-only), the options, and the query engine (opened on first use)."""

    path: Path
    options: WebOptions
    store: Store
    _query: Query | None = field(default=None, repr=False)
    page_counts: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def query(self) -> Query:
        """The ``query`` engine over the index, opened once."""
        if self._query is None:
            self._query = Query(self.path, self.options.compare, self.options.find, top=self.options.query_top)
        return self._query

    def close(self) -> None:
        if self._query is not None:
            self._query.close()
        self.store.close()


def state_of(request: Request) -> AppState:
    """The app's :class:`AppState`."""
    state: AppState = request.app.state.textreuse
    return state
