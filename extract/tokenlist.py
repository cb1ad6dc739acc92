"""The tokens of one sentence as a list that also carries their words.

In its own module because the hot modules can be compiled with mypyc (`bench/compiled.py`),
and a compiled class cannot subclass list.
"""
from __future__ import annotations


class Tokens(list):
    """A sentence's tokens, with their words also as plain strings (`texts`): every lexicon
    look-up reads the words, and a sentence is looked up a dozen times."""
    __slots__ = ("texts",)
    texts: list[str]
