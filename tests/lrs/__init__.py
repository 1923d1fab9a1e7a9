"""A real Learning Record Store (Ralph) for the xAPI tests (SPEC §9)."""
