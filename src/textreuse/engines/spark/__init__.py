"""The Spark engine: corpus-wide reuse discovery on Apache Spark (pyspark), for corpora beyond one machine.

It drives the same stage functions as the local engine (:mod:`textreuse.corpus.find`
over a SQLite index), with Spark in place of the index and the process pool:

1. **Read** the inputs (:mod:`~textreuse.engines.spark.read`): a JSONL file
   is read by the executors, line by line; other inputs on the driver.
   Each document's key is its place in the input order, as the index's keys are.
2. **Prepare** each document once in the executors with
   :func:`textreuse.index.rows.prepare_rows`: what the index stores of it (prepared
   tokens, 3-gram fingerprint, stand-alone short lines, names and numbers;
   in full mode its sentence embeddings, each executor process loading the
   model once).
3. **Boilerplate**: short stand-alone lines found in
   :func:`~textreuse.corpus.options.repeated_line_docs` documents
   (:mod:`~textreuse.engines.spark.candidates`) are broadcast, and each
   document's are excluded before alignment
   (:func:`~textreuse.corpus.align.without_repeated`).
4. **Candidates** with DataFrames: the ``(3-gram hash, document)`` postings,
   3-grams held by 2 to :func:`~textreuse.corpus.options.df_cap` documents, a
   self-join on the 3-gram, pairs sharing at least ``min_shared``; in full
   mode also rare names and numbers, and sentence neighbours found by an
   exact search in blocks (:mod:`~textreuse.engines.spark.neighbours`); then
   the date-window and same-source filters (:func:`~textreuse.corpus.candidates.pair_allowed`).
5. **Align** (:mod:`~textreuse.engines.spark.align`): pairs are dealt to
   partitions by their first document and each partition gets the documents
   its pairs need, once; there each pair goes through
   :func:`~textreuse.corpus.align.align_candidate` (``shared_clusters`` →
   ``compare(..., focus=...)`` → ``verify``) to a
   :class:`~textreuse.corpus.record.PairRecord`.
6. **Write** (:mod:`~textreuse.engines.spark.write`): the executors write
   the pairs, sorted as ``pairs.jsonl`` is, and the families
   (:mod:`~textreuse.engines.spark.families`: connected documents by
   min-label propagation, each group's families built by
   :func:`textreuse.corpus.families.build_families`) as part files; only
   counts and the first pairs reach the driver. :func:`find_pairs_spark`
   collects the records instead, for small runs and the API.

Each stage's time is reported as it ends (``on_stage``). Needs
``pip install 'textreuse[spark]'`` and Java 17+. Executors must be able to
import ``textreuse`` (on a cluster, install the package on every node).
"""

from textreuse.engines.spark.find import SparkRun, find_and_write_spark, find_pairs_spark
from textreuse.engines.spark.read import read_documents
from textreuse.engines.spark.session import spark_session

__all__ = ["SparkRun", "spark_session", "find_pairs_spark", "find_and_write_spark", "read_documents"]
