"""The index: fingerprints, candidate pairs from postings, the SQLite store, sentence-neighbour search."""
