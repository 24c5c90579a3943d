"""Domain logic. No `flask.request` or `flask.g` here: plain arguments in, results out."""
