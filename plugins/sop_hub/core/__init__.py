"""The pure core: model, YAML, front-matter, review dates, catalog, quizzes. No MkDocs, no HTML."""
