"""The reports the allocation letter asks for, as views of indicators, budget and letter.

- :mod:`imdi_analysis.reports.deviations`: the half-year and annual deviations ("avvik fra mål og
  styringsparametere, risiko for manglende måloppnåelse og budsjettmessige utfordringer", letter
  section 9.1): steering-parameter indicators against the same period last year, budget posts
  outside the instruction's rules, assignments whose deadline falls in the period or has passed.
"""
