"""Arabic news articles in, coded conflict incidents out (see ../shared/spec/codebook.md)."""
