"""The pure core: no MkDocs, no HTML."""
