import logging
import os

from markdown import Extension
from markdown.preprocessors import Preprocessor


class P(Preprocessor):
    def run(self, lines):
        logging.getLogger("mkdocs.plugins.sop_hub").warning("PYWARN from extension")
        if os.environ.get("BOOM") and any("Sub page" in line for line in lines):
            raise ValueError("BOOM in extension")
        return lines


class E(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(P(md), "warnp", 5)


def makeExtension(**kw):
    return E(**kw)
