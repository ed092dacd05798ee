from textreuse.corpus.find import FindOptions, parse_window
