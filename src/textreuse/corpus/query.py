from textreuse.corpus.find import Query
