"""Knowledge-check quizzes: the YAML schema (pure core) and the Markdown extension that renders them."""
