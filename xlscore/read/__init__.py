"""Reading: find forms in sheets by their header texts (see :mod:`xlscore.read.locate`)."""

from .locate import find_forms, SheetScan

__all__ = ["find_forms", "SheetScan"]
