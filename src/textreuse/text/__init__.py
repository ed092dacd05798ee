"""Text stages: normalize (with an offset map to the original), junk spans, segment into tokens and sentences."""
