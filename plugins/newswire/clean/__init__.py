"""Cleaning: line patterns as data (prompts, captions, boilerplate), datelines, agencies."""
