from textreuse.compare import prepare
from textreuse.index.candidates import candidate_pairs, shingles

from .conftest import WIRE

PARAS = WIRE.strip().split("\n\n")


def _tokens(texts):
    return [prepare(t).tokens for t in texts]


def test_reprints_are_candidates_and_unrelated_documents_are_not():
    texts = [
        WIRE,
        "\n\n".join(PARAS[:3]),  # abridged reprint
        PARAS[4].replace("Several cellars", "Many cellars"),  # edited paragraph
        "A bakery opened on the main square on Friday, selling bread and cakes to a long queue of neighbours.",
        "The regional rail strike ended on Sunday after drivers accepted a pay offer from the operator.",
    ]
    pairs = {(i, j) for i, j, _ in candidate_pairs(_tokens(texts))}
    assert (0, 1) in pairs and (0, 2) in pairs
    assert not any(3 in p or 4 in p for p in pairs)


def test_document_frequency_cap_drops_common_ngrams():
    boiler = "Subscribe today for unlimited digital access to local news coverage."
    texts = [f"{boiler} Story {i} is about topic number {i} and nothing else." for i in range(6)]
    assert candidate_pairs(_tokens(texts), max_df=3) == []
    assert len(candidate_pairs(_tokens(texts), max_df=10)) == 15


def test_shingles_skip_function_words():
    toks = prepare("The mayor of the city said that the budget was approved.").tokens
    assert ("mayor", "city", "budget") in shingles(toks, 3)
