"""Executed examples: the Markdown fences, the runner with its cache, the worker process."""
