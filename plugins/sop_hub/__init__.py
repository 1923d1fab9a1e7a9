"""SOP Hub: a process-organised hub of standard operating procedures for MkDocs.

The folders are the layers: ``core`` (model, review, metadata, catalog, quizzes) imports
nothing from MkDocs; ``render`` makes HTML from it; ``hosts`` (the MkDocs plugin) and ``cli``
are the front doors. It runs on MkDocs 1.x and on ProperDocs; ``hosts.versions`` says what to
do on MkDocs 2.
"""

import sys as _sys

from sop_hub.hosts import versions as _versions  # stdlib only: the CLI stays free of MkDocs

__version__ = "0.1.0"

if "mkdocs" in _sys.modules:  # a host is loading the plugin: refuse MkDocs 2 before plugin.py imports from it
    _versions.check_loaded_host()
else:  # a script importing sop_hub.hosts.mkdocs.plugin itself, or the CLI (which never imports mkdocs)
    _versions.guard_mkdocs_imports()
