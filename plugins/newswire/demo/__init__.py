"""The demo source: a generated news site served on 127.0.0.1."""
