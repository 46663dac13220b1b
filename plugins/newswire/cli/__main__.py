"""`python -m newswire.cli`: the same as the `newswire` console script."""

from newswire.cli import app

app()
