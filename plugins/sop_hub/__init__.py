"""SOP Hub: a process-organised hub of standard operating procedures for MkDocs.

The pure core (``model``, ``review``, ``metadata``, ``catalog``, ``quiz.schema``) imports
nothing from MkDocs; ``plugin`` and ``cli`` are two thin front doors onto it. It runs on MkDocs
1.x and on ProperDocs; ``host`` says what to do on MkDocs 2.
"""

import sys as _sys

from sop_hub import host as _host  # stdlib only: the CLI stays free of MkDocs

__version__ = "0.1.0"

if "mkdocs" in _sys.modules:  # a host is loading the plugin: refuse MkDocs 2 before plugin.py imports from it
    _host.check_loaded_host()
else:  # a script importing sop_hub.plugin itself, or the CLI (which never imports mkdocs)
    _host.guard_mkdocs_imports()
