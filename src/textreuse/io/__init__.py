"""Input and output formats: documents from files, PAN XML and its measures."""
