"""Engines that drive the stage functions on other runtimes (Apache Spark)."""
