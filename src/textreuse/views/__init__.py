"""Views of textreuse's results for people: HTML rendered from Jinja2 templates shipped in the package.

:func:`~textreuse.views.pair.render_pair` renders the side-by-side view of a
compared pair, as a self-contained page or as a fragment for the web app.
"""

from textreuse.views.pair import render_pair

__all__ = ["render_pair"]
