"""The Spark engine: corpus-wide reuse discovery on Apache Spark (pyspark), for corpora beyond one machine.

It drives the same stage functions as the local engine (:mod:`textreuse.corpus.find`
over a SQLite index), with Spark in place of the index and the process pool:

1. **Read** the inputs (:mod:`~textreuse.engines.spark.read`): a JSONL file
   is read by the executors, line by line; other inputs on the driver.
   Each document's key is its place in the input order, as the index's keys are.
2. **Prepare** each document once in the executors with
   :func:`textreuse.index.rows.index_row`: what the index stores of it (prepared
   tokens, 3-gram fingerprint, stand-alone short lines, names and numbers).
3. **Boilerplate**: short stand-alone lines found in
   :func:`~textreuse.corpus.options.repeated_line_docs` documents
   (:mod:`~textreuse.engines.spark.candidates`) are broadcast, and each
   document's are excluded before alignment
   (:func:`~textreuse.corpus.align.without_repeated`).
4. **Candidates** with DataFrames: the ``(3-gram hash, document)`` postings,
   3-grams held by 2 to :func:`~textreuse.corpus.options.df_cap` documents, a
   self-join on the 3-gram, pairs sharing at least ``min_shared``; then the
   date-window and same-source filters (:func:`~textreuse.corpus.candidates.pair_allowed`).
5. **Align** each candidate pair in the executors (both documents' rows
   joined to it) with :func:`~textreuse.corpus.align.align_candidate`:
   ``shared_clusters`` → ``compare(..., focus=...)`` → ``verify`` →
   :class:`~textreuse.corpus.record.PairRecord` (:mod:`~textreuse.engines.spark.find`).

The pair records are collected on the driver, where the CLI writes them and
:func:`textreuse.corpus.families.build_families` groups them, as for the local engine.

Lexical mode only for now: full mode's candidates from sentence embeddings
need a corpus-wide nearest-neighbour search (faiss over every sentence),
which this engine does not distribute yet.

Needs ``pip install 'textreuse[spark]'`` and Java 17+. Executors must be able
to import ``textreuse`` (on a cluster, install the package on every node).
"""

from textreuse.engines.spark.find import SparkRun, find_pairs_spark
from textreuse.engines.spark.read import read_documents
from textreuse.engines.spark.session import spark_session

__all__ = ["SparkRun", "spark_session", "find_pairs_spark", "read_documents"]
