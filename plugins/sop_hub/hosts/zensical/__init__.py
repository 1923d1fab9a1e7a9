"""The Zensical preview: what Zensical cannot make itself, written before and after its build."""
