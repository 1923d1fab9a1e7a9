"""The pure core: the hub's data and rules, no MkDocs, no HTML."""
