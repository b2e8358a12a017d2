"""Shared handler infrastructure: what every feature may import (and nothing else of
another feature). Nothing here imports a feature module."""
