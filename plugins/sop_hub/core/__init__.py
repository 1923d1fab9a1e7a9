"""The pure core: no MkDocs, no HTML; the plugin and the command line both stand on it."""
