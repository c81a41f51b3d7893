import sys

try:
    from .cli import main
except KeyboardInterrupt:        # Ctrl-C during the imports: exit as an interrupted run, no traceback
    sys.stderr.write("xlscore: interrupted\n")
    sys.exit(130)

sys.exit(main())
