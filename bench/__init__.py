"""The performance benchmark of issue 5: `python -m bench` (or `make bench`).

It measures; it never asserts. See bench/README.md for what each scenario does.
"""
