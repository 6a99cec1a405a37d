"""web: packages the Python side into a static site (self-hosted Pyodide, wheels, pages) and serves it."""
