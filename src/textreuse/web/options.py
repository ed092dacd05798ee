"""The web app's options: upload limit, page sizes, and the engines' options for "check a text"."""

from __future__ import annotations

from dataclasses import dataclass, field

from textreuse.common.checks import check_fields, check_range, check_type
from textreuse.compare import CompareOptions
from textreuse.corpus.options import FindOptions

__all__ = ["WebOptions"]


@dataclass(frozen=True)
class WebOptions:
    """What ``textreuse serve`` allows and how it answers.

    Attributes:
        max_upload_bytes: the largest request body (pasted or uploaded text) accepted; larger ones get 413.
        page_size: items on a page of a list when the request does not say.
        max_page_size: the most items a page may hold (a larger ``per_page`` is cut to this).
        preview_chars: characters of a family's shared text shown in a list of families.
        query_top: best-ranked indexed documents aligned with a checked text.
        compare: how a checked text is aligned with indexed documents.
        find: candidate options for a checked text.
    """

    max_upload_bytes: int = 2_000_000
    page_size: int = 20
    max_page_size: int = 100
    preview_chars: int = 300
    query_top: int = 20
    compare: CompareOptions = field(default_factory=CompareOptions)
    find: FindOptions = field(default_factory=FindOptions)

    def __post_init__(self) -> None:
        check_fields(self)
        for name in ("max_upload_bytes", "page_size", "max_page_size", "preview_chars", "query_top"):
            check_range(f"WebOptions.{name}", getattr(self, name), low=1)
        check_range("WebOptions.page_size", self.page_size, high=self.max_page_size)
        check_type("WebOptions.compare", self.compare, CompareOptions)
        check_type("WebOptions.find", self.find, FindOptions)
