"""The package's version (and the local service's port), in a module of its own so that any module can name them without
importing the package (or the service's http.server)."""

__version__ = "0.1.0"
DEFAULT_PORT = 47815          # the local service the WPS add-in calls (xlscore serve); 127.0.0.1 only
