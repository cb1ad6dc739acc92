"""Gazetteer loading, validation and place resolution."""
from geo.gazetteer import Gazetteer, GazetteerError, Place, load_gazetteer, DEFAULT_GAZETTEER

__all__ = ["Gazetteer", "GazetteerError", "Place", "load_gazetteer", "DEFAULT_GAZETTEER"]
