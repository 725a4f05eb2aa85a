"""Package for the importlib tests."""
counter = 0
