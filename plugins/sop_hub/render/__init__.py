"""HTML from the core: the renderer, listings, diagrams, navigation data, quizzes, templates and assets.

Every host (the MkDocs/ProperDocs plugin, the Zensical preparation) takes its templates and
browser assets from these two folders.
"""

from pathlib import Path

TEMPLATES_DIR = Path(__file__).parent / "templates"  # Jinja templates, under sop-hub/
ASSETS_DIR = Path(__file__).parent / "assets"  # the CSS and JavaScript every page loads
