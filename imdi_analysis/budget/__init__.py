"""Budget execution: spending per post against the allocation letter, year-end forecast, spending rules.

The letter asks the half-year report for "status for hver post og prognose for resten av året på
forventet forbruk", and point 6 of its instruction (Vedlegg 1) sets the limits on carrying over,
exceeding and moving money. The modules:

- :mod:`~imdi_analysis.budget.accounts`: schema and loader of the monthly accounts per chapter
  and post (one folder per year, ``<accounts_dir>/<year>/accounts.csv``);
- :mod:`~imdi_analysis.budget.synth_accounts`: the synthetic default accounts for 2021 and 2022,
  generated on demand under ``data/synthetic/accounts/``;
- :mod:`~imdi_analysis.budget.forecast`: the year-end forecast (last year's monthly profile,
  falling back to linear);
- :mod:`~imdi_analysis.budget.rules`: the instruction's rules as checks with NOK limits per post;
- :mod:`~imdi_analysis.budget.status`: orchestration (:func:`budget_status`) and the Norwegian
  tables of the book chapter and the CLI;
- :mod:`~imdi_analysis.budget.figures`: the chart of spent and forecast against the allocation.
"""

from __future__ import annotations
