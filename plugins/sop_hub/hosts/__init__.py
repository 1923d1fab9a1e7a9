"""Hosts: the site generators SOP Hub runs under (MkDocs/ProperDocs plugin, Zensical preparation)."""
