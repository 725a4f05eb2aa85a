"""Module docstring."""
import os
