"""xlscore — recompute and check China's fiscal performance-evaluation workbooks in place.

The flow of data: read (find forms in sheets by header) → model (plain dataclasses) → rules (value
grammar, scoring kinds, profiles) → checks (a catalogue of findings) → write (values, fills,
comments, report sheet). The CLI, the xlwings add-in and batch mode are thin shells over
:class:`xlscore.engine.Engine`.
"""

from .version import __version__

__all__ = ["__version__", "Engine", "batch_frames"]


def __getattr__(name):  # lazy: `import xlscore` stays cheap for the CLI's --help
    if name == "Engine":
        from .engine import Engine
        return Engine
    if name == "batch_frames":      # pandas is imported only here, on first use (pip install "xlscore[pandas]")
        from .batch import batch_frames
        return batch_frames
    raise AttributeError(name)
