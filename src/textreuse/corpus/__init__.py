"""The corpus engine over an index: candidates, focused alignment, verification, families, queries."""
