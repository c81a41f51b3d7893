"""``python -m xlscore.templates``: regenerate the shipped templates in templates/ (developers)."""

from . import regenerate

for path in regenerate():
    print(path)
