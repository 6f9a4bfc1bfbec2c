"""The statistics appendix (the letter's Vedlegg 3): one builder per table, registered by key.

Importing this package imports every builder module, which fills
:data:`imdi_analysis.appendix.registry.BUILDERS`:

- :mod:`~imdi_analysis.appendix.training`: tables 1A–6B (training, competence mapping)
- :mod:`~imdi_analysis.appendix.intro`: tables 7–12 (introduction programme)
- :mod:`~imdi_analysis.appendix.county_governor`: tables 13–15 (complaints, supervision, sessions)
- :mod:`~imdi_analysis.appendix.settlement`: tables 16–26 (settlement)
- :mod:`~imdi_analysis.appendix.interpreters`: tables 28A–31 (interpreters)
- :mod:`~imdi_analysis.appendix.advisers`: table 32 (minority and integration advisers)

:mod:`~imdi_analysis.appendix.build` builds, discloses and publishes a whole report.
"""

from __future__ import annotations

from imdi_analysis.appendix import advisers, county_governor, interpreters, intro, settlement, training
from imdi_analysis.appendix.registry import BUILDERS, BuildContext, builder

BUILDER_MODULES = (training, intro, county_governor, settlement, interpreters, advisers)

__all__ = ["BUILDERS", "BUILDER_MODULES", "BuildContext", "builder"]
