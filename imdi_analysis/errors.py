"""Error types. Every message names the file, column, rows and the fix."""

from __future__ import annotations


class ImdiError(Exception):
    """Base class for every error the package raises on purpose.

    The CLI catches it, prints the message and exits with status 1 (2 for usage errors).
    """

    exit_code = 1


class ConfigError(ImdiError):
    """A run parameter (year, period, directory, notebook parameter) is invalid."""

    exit_code = 2


class DataNotFoundError(ImdiError):
    """An expected input file or year of data does not exist."""


class DataValidationError(ImdiError):
    """Input data failed its schema.

    Attributes
    ----------
    report : pandas.DataFrame
        One row per failure: ``file``, ``column``, ``check``, ``row`` (1-based data row,
        the header is not counted), ``value``.
    """

    def __init__(self, message: str, report=None):
        super().__init__(message)
        self.report = report


class TableLayoutError(DataValidationError):
    """A statistics table's categories cannot be added up safely.

    Raised when a category labelled as a total does not equal the sum of the others, when a
    total can be made from its parts in more than one way, or when categories lie outside
    every total, so that summing them could count a person twice.
    """


class DisclosureError(ImdiError):
    """A published table would reveal a small count or a suppressed cell."""


class PipelineError(ImdiError):
    """A notebook or the book build failed during a run."""
