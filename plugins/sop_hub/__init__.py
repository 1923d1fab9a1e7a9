"""SOP Hub: a process-organised hub of standard operating procedures for MkDocs.

The pure core (``model``, ``review``, ``metadata``, ``catalog``, ``quiz.schema``) imports
nothing from MkDocs; ``plugin`` and ``cli`` are two thin front doors onto it.
"""

__version__ = "0.1.0"
