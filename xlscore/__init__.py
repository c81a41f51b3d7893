"""xlscore — recompute and check China's fiscal performance-evaluation workbooks in place.

The flow of data, one step a subpackage: read (find forms and indicator trees in sheets by header; grids from files
through the light reader) → model (plain records, xlscore.records) → evaluate (rates, scores, totals, grades, the
cells to write; the rules' value grammar, scoring kinds and profiles are in rules) → checks (what was typed against
what was computed: a catalogue of findings) → write (the plan of values, fills, comments and the report sheet; the
adapters that apply it). :class:`xlscore.engine.Engine` runs the steps on grids, :mod:`xlscore.jobs` wires them to
files and open workbooks; the CLI, the xlwings add-in, the WPS service and batch mode are thin shells over both.
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
