"""The examples in the docstrings are part of the documentation: they must run."""

import doctest
import importlib
import pkgutil

import pytest

import textreuse

MODULES = sorted(
    m.name for m in pkgutil.walk_packages(textreuse.__path__, "textreuse.") if not m.name.endswith("__main__")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
