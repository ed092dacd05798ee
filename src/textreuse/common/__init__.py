"""Primitives every layer may use, each defined once: option checks, intervals, hashing, atomic writes, dates."""
