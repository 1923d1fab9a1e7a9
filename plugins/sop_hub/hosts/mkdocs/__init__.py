"""The MkDocs / ProperDocs plugin: events, typed config, generated pages, serve --dirty bookkeeping."""
