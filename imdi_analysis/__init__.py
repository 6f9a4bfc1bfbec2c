"""imdi_analysis: reproducible analysis of IMDi's allocation letter and statistics appendix."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("imdi-analysis")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
