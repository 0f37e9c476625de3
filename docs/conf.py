"""Sphinx configuration for p2c-pledges."""

from __future__ import annotations

from importlib.metadata import version as _version


project = "p2c-pledges"
author = "p2c-pledges developers"
copyright = "2026, p2c-pledges developers"
release = _version("p2c-pledges")
version = release

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
]
source_suffix = {".md": "markdown"}
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
exclude_patterns = ["_build"]
html_theme = "furo"
html_title = "p2c-pledges"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
napoleon_google_docstring = True
# No intersphinx: the build must work offline.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:class", r"os\.PathLike"),
    (r"py:class", r"pathlib\.Path"),
    (r"py:class", r"p2c_pledges\.\w+\._\w+"),  # a private class in a public signature
    (r"py:class", r"p2c_pledges\.\w+\._\w+\.\w+"),  # a class of a private module, likewise
    (r"py:class", r"pyarrow\..*"),  # pyarrow's docs are not in intersphinx here
    (r"py:class", r"cattrs\..*"),  # nor cattrs's
    (r"py:class", r"(hypothesis\.strategies\.|st\.|dt\.).*"),
    (r"py:exc", r"hypothesis\.errors\..*"),  # Hypothesis's docs are not in intersphinx here
    (r"py:class", r"(decimal\.|datetime\.|collections\.abc\.|typing\.|enum\.|attr\.|pint\.).*"),
    (
        r"py:class",
        r"(Decimal|Any|Iterator|Iterable|Mapping|Callable|Sequence|date|Path|PathLike|TextIO|BinaryIO|Attribute|Quantity|UnitRegistry)",
    ),
    (
        r"py:(class|obj|exc)",
        r"(str|int|bool|float|bytes|dict|list|tuple|set|frozenset|object|type|None|ValueError|KeyError|TypeError|NoneType)",
    ),
]
